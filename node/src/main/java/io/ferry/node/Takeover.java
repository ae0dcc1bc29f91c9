package io.ferry.node;

import io.ferry.coordination.ProcessIdentity;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Whether a registration left under this node's id belongs to a process that is provably gone: a node agent
 * killed and restarted by a supervisor finds its old self's registration held by a session that ZooKeeper keeps
 * alive for the whole session timeout. Proof needs the same host in the same boot, and that pid no longer running
 * the process that registered (gone, a zombie, or reused by a process that started at another time). Anything less
 * (another host, another boot, a live process, a registration that does not say) is no proof.
 */
final class Takeover {
    private Takeover() {}

    /** Why {@code other}'s process is provably gone, seen from {@code self} on this host; null when not proven. */
    static String whyGone(ProcessIdentity self, ProcessIdentity other) {
        if (other == null || !self.sameBootAs(other)) {
            return null;
        }
        Optional<ProcessHandle> process = ProcessHandle.of(other.pid());
        if (process.isEmpty()) {
            return "process " + other.pid() + " has exited";
        }
        long started = ProcessIdentity.startedAtMs(process.get());
        if (started != 0 && other.startedAtMs() != 0 && started != other.startedAtMs()) {
            return "pid " + other.pid() + " now belongs to another process";
        }
        if (started != 0 && started == other.startedAtMs() && isZombie(other.pid())) {
            return "process " + other.pid() + " has exited (not yet reaped)";
        }
        return null;
    }

    /** Linux: the state field of {@code /proc/PID/stat} says the process has exited but not been reaped. */
    private static boolean isZombie(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", String.valueOf(pid), "stat"));
            int end = stat.lastIndexOf(')'); // the command name in parentheses may hold spaces
            char state = end >= 0 && end + 2 < stat.length() ? stat.charAt(end + 2) : '?';
            return state == 'Z' || state == 'X';
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }
}
