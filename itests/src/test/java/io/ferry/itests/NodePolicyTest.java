package io.ferry.itests;

import static org.assertj.core.api.Assertions.assertThat;

import io.ferry.coordination.FerryClient;
import io.ferry.coordination.ProcessSpec;
import io.ferry.coordination.ProcessState;
import io.ferry.coordination.ProcessStatus;
import io.ferry.node.NodePolicy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A node that confines files ({@code ferry.node.fileRoots}) and classpaths ({@code ferry.node.classpathRoots}) to its
 * work directory and the roots named: a process cannot read or truncate a file elsewhere, through {@code ..} or a
 * symbolic link, at construction or at restore; a launch whose classpath is elsewhere is FAILED. In both isolations:
 * the roots travel to a worker JVM with the launch.
 */
class NodePolicyTest {
    @TempDir
    Path dir;
    Path work;
    Path shared;
    Path outside;
    FerryCluster cluster;
    FerryClient c;

    @BeforeEach
    void layout() throws Exception {
        work = Files.createDirectories(dir.resolve("work"));
        shared = Files.createDirectories(dir.resolve("shared"));
        outside = Files.createDirectories(dir.resolve("outside"));
    }

    private void start(String isolation, String fileRoots, String classpathRoots) throws Exception {
        cluster = new FerryCluster(work).isolation(isolation).set(NodePolicy.FILE_ROOTS, fileRoots)
                .set(NodePolicy.CLASSPATH_ROOTS, classpathRoots);
        cluster.addScheduler("s1");
        cluster.addNode("node-1", 2);
        c = cluster.client;
    }

    @AfterEach
    void stop() throws Exception {
        if (cluster != null) {
            cluster.close();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"thread", "jvm"})
    void filesOutsideTheWorkDirectoryAndTheRootsAreRefused(String isolation) throws Exception {
        start(isolation, shared.toString(), NodePolicy.ANYWHERE);
        Path secret = Files.writeString(outside.resolve("secret.txt"), "secret\n");
        Path precious = Files.writeString(outside.resolve("precious.txt"), "precious\n");
        Files.createSymbolicLink(work.resolve("link"), outside);
        Files.createSymbolicLink(work.resolve("dangling"), outside.resolve("created.txt"));
        Files.writeString(work.resolve("in.txt"), "x\n");

        assertThat(failure("CpFile", secret.toString(), "copy.txt")).contains("SecurityException: File " + secret
                + " is outside this node's work directory " + work, NodePolicy.FILE_ROOTS);
        assertThat(failure("GrepProcess", "x", "in.txt", "../outside/precious.txt")).contains("File " + precious
                + " is outside");
        assertThat(failure("CpFile", "link/secret.txt", "copy.txt")).as("through a symbolic link")
                .contains("is outside");
        assertThat(failure("CpFile", "in.txt", "dangling")).as("through a link to nothing yet").contains("is outside");
        assertThat(outside.resolve("created.txt")).doesNotExist();
        assertThat(Files.readString(precious)).isEqualTo("precious\n");
        assertThat(work.resolve("copy.txt")).doesNotExist();

        // inside the work directory and inside a root: as usual
        Files.writeString(shared.resolve("in.txt"), "one\ntwo\n");
        String pid = c.launch(ProcessSpec.of("CpFile", shared.resolve("in.txt").toString(), "copy.txt"));
        c.awaitState(pid, null, ProcessState.COMPLETED, FerryCluster.WAIT);
        assertThat(work.resolve("copy.txt")).hasContent("one\ntwo\n");
    }

    @Test
    void aSnapshotWhoseFilesAreOutsideIsNotRestoredOnANodeThatConfines() throws Exception {
        start("thread", NodePolicy.ANYWHERE, NodePolicy.ANYWHERE); // a node that lets it write anywhere
        String pid = c.launch(ProcessSpec.of(TickProcess.class.getName(), "100000", "../outside/ticks.txt", "1000"));
        c.awaitRunning(pid, null, FerryCluster.WAIT);
        c.awaitState(pid, c.suspend(pid), ProcessState.SUSPENDED, FerryCluster.WAIT);
        long written = Files.size(outside.resolve("ticks.txt"));

        cluster.closeNode("node-1");
        cluster.set(NodePolicy.FILE_ROOTS, "").addNode("node-2", 2); // the work directory only
        c.resume(pid, null);
        ProcessStatus s = c.await(pid, null, x -> x.state() == ProcessState.FAILED, "fail", FerryCluster.WAIT);
        assertThat(s.error()).contains("is outside this node's work directory");
        assertThat(Files.size(outside.resolve("ticks.txt"))).as("not truncated nor written").isEqualTo(written);
    }

    @ParameterizedTest
    @ValueSource(strings = {"thread", "jvm"})
    void aClasspathOutsideTheWorkDirectoryAndTheRootsIsFailed(String isolation) throws Exception {
        start(isolation, NodePolicy.ANYWHERE, shared.toString());
        String pid = c.launch(ProcessSpec.of(TickProcess.class.getName(), "5", "a.txt", "1000")
                .withClasspath(List.of(outside.toString())));
        ProcessStatus s = c.await(pid, null, x -> x.state() == ProcessState.FAILED, "fail", FerryCluster.WAIT);
        assertThat(s.error()).contains("Classpath entry " + outside + " is outside this node's work directory",
                NodePolicy.CLASSPATH_ROOTS);

        Files.createDirectories(work.resolve("lib"));
        for (String entry : List.of("lib", shared.toString())) {
            String ok = c.launch(ProcessSpec.of(TickProcess.class.getName(), "5", "b.txt", "1000")
                    .withClasspath(List.of(entry)));
            c.awaitState(ok, null, ProcessState.COMPLETED, FerryCluster.WAIT);
        }
    }

    private String failure(String className, String... args) {
        String pid = c.launch(ProcessSpec.of(className, args));
        return c.await(pid, null, s -> s.state() == ProcessState.FAILED, "fail", FerryCluster.WAIT).error();
    }
}
