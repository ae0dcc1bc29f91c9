package io.ferry.coordination;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;
import org.apache.curator.test.InstanceSpec;
import org.apache.curator.test.TestingCluster;

/** Test ensembles whose servers' ports are all different (shared with the scheduler's and the itests' tests). */
public final class Ensembles {
    private Ensembles() {
    }

    /**
     * An ensemble of {@code servers}, not started. curator-test picks each port by binding port 0 and closing the
     * socket at once, so one ensemble can be handed the same port twice and fail to start; here every socket stays
     * open until all the ports are chosen.
     */
    public static TestingCluster of(int servers) {
        List<ServerSocket> held = new ArrayList<>();
        try {
            List<InstanceSpec> specs = new ArrayList<>();
            for (int id = 1; id <= servers; id++) {
                specs.add(new InstanceSpec(null, hold(held), hold(held), hold(held), true, id));
            }
            return new TestingCluster(specs);
        } finally {
            held.forEach(Ensembles::closeQuietly);
        }
    }

    private static int hold(List<ServerSocket> held) {
        try {
            ServerSocket socket = new ServerSocket(0);
            held.add(socket);
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void closeQuietly(ServerSocket socket) {
        try {
            socket.close();
        } catch (IOException ignored) {
            // the port is free either way once this JVM lets go of it
        }
    }
}
