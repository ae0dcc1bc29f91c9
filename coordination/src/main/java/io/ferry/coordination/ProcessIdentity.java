package io.ferry.coordination;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;

/**
 * What identifies one operating-system process beyond doubt: its host, that host's current boot, its pid and the
 * moment it started (a pid is reused, a pid with the same start time in the same boot is not). A node publishes its
 * own in its registration, so that a node restarted on the same host can tell that the process which left a
 * registration behind is gone.
 *
 * @param bootId the host's boot id (Linux {@code /proc/sys/kernel/random/boot_id}), or null where there is none
 * @param startedAtMs when the process started (epoch milliseconds), or 0 when the OS does not say
 */
public record ProcessIdentity(String host, String bootId, long pid, long startedAtMs) {
    private static final Path BOOT_ID = Path.of("/proc/sys/kernel/random/boot_id");

    public ProcessIdentity {
        Objects.requireNonNull(host, "host");
    }

    /** This JVM's process on {@code host}. */
    public static ProcessIdentity current(String host) {
        ProcessHandle self = ProcessHandle.current();
        return new ProcessIdentity(host, currentBootId(), self.pid(), startedAtMs(self));
    }

    /** The current boot of this host, or null when the OS does not tell. */
    public static String currentBootId() {
        try {
            return Files.readString(BOOT_ID).strip();
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /** When {@code process} started, in epoch milliseconds; 0 when unknown. */
    public static long startedAtMs(ProcessHandle process) {
        return process.info().startInstant().map(java.time.Instant::toEpochMilli).orElse(0L);
    }

    /** Whether this identity was taken in the same boot of the same host as {@code other}. */
    public boolean sameBootAs(ProcessIdentity other) {
        return other != null && host.equals(other.host) && bootId != null && bootId.equals(other.bootId);
    }

    @Override
    public String toString() {
        return "pid " + pid + " on " + host;
    }
}
