package io.ferry.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.Socket;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ferry local}: refuses a busy port with a hint, stops cleanly on SIGTERM, prints what it runs, and listens on
 * loopback only unless told otherwise.
 */
class LocalIT {
    @TempDir
    Path dir;

    @Test
    void printsItsClusterRefusesABusyPortAndStopsCleanlyOnSigterm() throws Exception {
        try (LocalFerry local = LocalFerry.start(dir, "--nodes", "2", "--slots", "2")) {
            assertThat(local.stdout()).contains("zookeeper  " + local.zk(), "node-1 node-2  (2 slots each)", "ready");

            Cli.Result busy = Cli.run("local", "--port", String.valueOf(local.port), "--dir", dir.toString());
            assertThat(busy.failureLine()).contains("Port " + local.port + " is already in use", "--port");

            local.process().destroy(); // SIGTERM, as Ctrl-C or a service manager would
            assertThat(local.process().waitFor(30, TimeUnit.SECONDS)).as("stopped within 30 s").isTrue();
            assertThat(local.stdout()).contains("ferry local stopped.");
        }
    }

    @Test
    void listensOnLoopbackOnlyUnlessToldOtherwise() throws Exception {
        InetAddress outside = NetworkInterface.networkInterfaces().filter(i -> {
            try {
                return i.isUp() && !i.isLoopback();
            } catch (java.net.SocketException e) {
                return false;
            }
        }).flatMap(NetworkInterface::inetAddresses).filter(a -> a instanceof Inet4Address).findFirst().orElse(null);
        Assumptions.assumeTrue(outside != null, "this machine has an address other than loopback");

        try (LocalFerry local = LocalFerry.start(dir, "--nodes", "1")) {
            assertThat(reachable(InetAddress.getLoopbackAddress(), local.port)).isTrue();
            assertThat(reachable(outside, local.port)).as("reachable on %s", outside).isFalse();
        }
        try (LocalFerry local = LocalFerry.start(dir, "--nodes", "1", "--bind", "0.0.0.0")) {
            assertThat(local.stdout()).contains("listening on 0.0.0.0");
            assertThat(reachable(outside, local.port)).as("reachable on %s", outside).isTrue();
        }
    }

    private static boolean reachable(InetAddress address, int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(address, port), 2_000);
            return true;
        } catch (java.io.IOException refused) {
            return false;
        }
    }

    @Test
    void aSecuredLocalClusterAnswersOnlyThoseWithCredentials() throws Exception {
        try (LocalFerry local = LocalFerry.start(dir, "--nodes", "1", "--secure")) {
            Path secure = dir.resolve("secure");
            assertThat(local.stdout()).contains("secured    every session authenticates; credentials in " + secure,
                    "ready: export FERRY_CONF=" + secure.resolve("client.properties"));
            assertThat(local.ferry("ps").failureLine()).isEqualTo("ferry: Not authorized by ZooKeeper at "
                    + local.zk() + ": the cluster is secured; run with the properties file 'ferry secure init' wrote"
                    + " for your role (FERRY_CONF=DIR/client.properties)");

            java.nio.file.Files.writeString(dir.resolve("in.txt"), "x\n");
            Path client = secure.resolve("client.properties");
            String pid = Cli.runWithConf(client, "launch", "--wait", "GrepProcess", "x", "in.txt", "out.txt").ok()
                    .trim();
            assertThat(Cli.runWithConf(secure.resolve("reader.properties"), "describe", pid).ok()).contains(pid);
            assertThat(Cli.runWithConf(secure.resolve("reader.properties"), "forget", pid).failureLine())
                    .startsWith("ferry: Not allowed: this role may not change");
            assertThat(Cli.runWithConf(client, "forget", pid).ok()).contains(pid);
        }
    }

    /**
     * With --tls, ZooKeeper takes TLS connections only, from certificates of the cluster's own authority, and the
     * certificate's CN is the role ACLs check: the client steers, a reader and a node cannot, a client without TLS is
     * told what to use, and a certificate of another authority gets nothing.
     */
    @Test
    void aTlsLocalClusterAnswersOnlyCertificatesOfItsAuthority() throws Exception {
        try (LocalFerry local = LocalFerry.start(dir, "--nodes", "1", "--tls")) {
            Path secure = dir.resolve("secure");
            assertThat(local.stdout()).contains("secured    every session authenticates by TLS client certificate;"
                    + " credentials in " + secure, "ready: export FERRY_CONF=" + secure.resolve("client.properties"));
            assertThat(java.nio.file.Files.readString(secure.resolve("client.properties")))
                    .contains("ferry.zk.tls.keyFile").doesNotContain("ferry.zk.sasl");
            assertThat(local.ferry("ps").failureLine()).isEqualTo("ferry: ZooKeeper at " + local.zk() + " takes TLS"
                    + " connections only: run with the properties file 'ferry secure init' wrote for your role"
                    + " (FERRY_CONF=DIR/client.properties)");

            java.nio.file.Files.writeString(dir.resolve("in.txt"), "x\ny\nx\n");
            Path client = secure.resolve("client.properties");
            String pid = Cli.runWithConf(client, "launch", "--wait", "GrepProcess", "x", "in.txt", "out.txt").ok()
                    .trim();
            assertThat(dir.resolve("out.txt")).hasContent("x\nx\n");
            assertThat(Cli.runWithConf(secure.resolve("reader.properties"), "describe", pid).ok()).contains(pid);
            assertThat(Cli.runWithConf(secure.resolve("reader.properties"), "forget", pid).failureLine())
                    .startsWith("ferry: Not allowed: this role may not change");
            assertThat(Cli.runWithConf(secure.resolve("node.properties"), "launch", "GrepProcess", "x", "in.txt",
                    "o2.txt").failureLine()).startsWith("ferry: Not allowed: this role may not change");

            Path other = dir.resolve("other");
            Cli.run("secure", "init", other.toString(), "--tls", "--zk", local.zk()).ok();
            assertThat(Cli.runWithConf(other.resolve("client.properties"), "ps").failureLine())
                    .startsWith("ferry: Cannot reach ZooKeeper at " + local.zk()).contains("over TLS");
            assertThat(Cli.runWithConf(client, "forget", pid).ok()).contains(pid);
        }
    }

    /** A scheduler daemon serves its meters on ferry.metrics.port, says where, and a bad port is one clear line. */
    @Test
    void aDaemonServesItsMetricsWhereItsSettingsSay() throws Exception {
        try (LocalFerry local = LocalFerry.start(dir, "--nodes", "1")) {
            Path conf = java.nio.file.Files.writeString(dir.resolve("metrics.properties"),
                    "ferry.zk.connect=" + local.zk() + "\nferry.metrics.port=0\n");
            Path out = dir.resolve("scheduler.out");
            ProcessBuilder pb = Cli.builder(Cli.BIN, java.util.List.of("scheduler", "--id", "standby"));
            pb.environment().put("FERRY_CONF", conf.toString());
            Process scheduler = pb.redirectOutput(out.toFile()).redirectError(dir.resolve("scheduler.err").toFile())
                    .start();
            try {
                String url = org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(60))
                        .until(() -> java.nio.file.Files.readString(out).lines().filter(l -> l.startsWith("metrics "))
                                .map(l -> l.substring("metrics".length()).trim()).findFirst().orElse(null),
                                java.util.Objects::nonNull);
                assertThat(url).startsWith("http://127.0.0.1:").endsWith("/metrics");
                org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(60)).untilAsserted(() -> {
                    var reply = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
                            java.net.URI.create(url)).build(), java.net.http.HttpResponse.BodyHandlers.ofString());
                    assertThat(reply.headers().firstValue("Content-Type").orElse(""))
                            .startsWith("text/plain; version=0.0.4");
                    var families = PrometheusText.parse(reply.body());
                    assertThat(families).containsKey("ferry_scheduler_leader"); // once the scheduler has started
                    assertThat(families.get("ferry_scheduler_leader").samples()).anySatisfy(sample -> {
                        assertThat(sample.labels()).containsEntry("scheduler", "standby");
                        assertThat(sample.value()).as("it stands by").isZero();
                    });
                    assertThat(PrometheusText.sum(families, "ferry_zk_connected_clients")).isGreaterThanOrEqualTo(1);
                });
            } finally {
                scheduler.destroyForcibly().waitFor();
            }
            java.nio.file.Files.writeString(conf, "ferry.zk.connect=" + local.zk() + "\nferry.metrics.port=abc\n");
            assertThat(Cli.runWithConf(conf, "scheduler").failureLine())
                    .isEqualTo("ferry: ferry.metrics.port must be a port number, got 'abc'");
        }
    }

    /**
     * The node verbs and rebalance through the command, on one cluster: a cordon keeps launches off; rebalance
     * evens the nodes out around a pinned process and a second run moves nothing; a drain shows its progress,
     * moves what it can, names what it cannot move and why, and fails; nodes shows each node's state. (Bounds and
     * parallelism: RebalanceTest, DrainTest.)
     */
    @Test
    void nodeVerbsAndRebalance() throws Exception {
        try (LocalFerry local = LocalFerry.start(dir, "--nodes", "3")) {
            assertThat(local.ferry("node", "cordon", "node-2").ok())
                    .isEqualTo("node-2 is CORDONED: no new work goes there ('ferry node uncordon node-2' opens it"
                            + " again)\n");
            local.ferry("node", "cordon", "node-3").ok();
            List<String> free = new java.util.ArrayList<>();
            for (int i = 0; i < 3; i++) {
                free.add(local.launchTicker(100000, "free" + i + ".txt", "20"));
            }
            String pinned = local.ferry("launch", "--node", "node-1", "--classpath", Cli.TEST_CLASSES, "--wait",
                    Ticker.class.getName(), "100000", "pinned.txt", "20").ok().strip();
            assertThat(local.ferry("nodes").ok()).contains("node-2  CORDONED").contains("node-1  READY")
                    .contains("4/4");
            assertThat(local.ferry("node", "uncordon", "node-2").ok()).startsWith("node-2 is READY");
            local.ferry("node", "uncordon", "node-3").ok();

            String dry = local.ferry("rebalance", "--dry-run").ok(); // 4, 0, 0 becomes 2, 1, 1
            assertThat(dry.lines().filter(l -> l.startsWith("would move ")).count()).isEqualTo(2);
            assertThat(dry).contains("2 move(s) planned; none made (--dry-run)").doesNotContain(pinned);
            assertThat(local.ferry("rebalance").ok()).contains("Rebalanced: 2 of 2 move(s) done");
            assertThat(local.ferry("rebalance").ok()).startsWith("Balanced:");

            Cli.Result drain = local.ferry("node", "drain", "node-1", "--parallel", "1", "--deadline", "60s");
            assertThat(drain.failureLine()).isEqualTo("ferry: node-1 is not drained: 1 process(es) still there ("
                    + pinned + ")");
            assertThat(drain.out()).contains("Draining node-1: 2 process(es) to move, at most 1 at once",
                    "1 of 2 moved", pinned + " cannot move: pinned to node-1 (launched with --node)");
            String nodes = local.ferry("nodes").ok();
            assertThat(nodes).contains("node-1  DRAINING").contains("1/4").doesNotContain("3/4");
            assertThat(local.ferry("node", "uncordon", "node-1").ok()).startsWith("node-1 is READY");
            assertThat(local.ferry("node", "drain", "node-9").failureLine()).contains("node-9");
        }
    }
}
