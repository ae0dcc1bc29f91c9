package io.ferry.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code ferry local}: refuses a busy port with a hint, stops cleanly on SIGTERM, and prints what it runs. */
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
}
