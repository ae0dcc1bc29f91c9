package io.ferry.itests;

import io.ferry.api.MigratableProcess;
import io.ferry.api.TransactionalFileOutputStream;
import io.ferry.api.WorkingDirectory;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.locks.LockSupport;

/** Processes that do what a process should not: each ends, fills or outlives the JVM it runs in. */
final class Hostile {
    private Hostile() {}

    /** Prints, writes {@code lines} lines to its output, then calls System.exit(1). Args: {@code <out> <lines>}. */
    public static class Exits implements MigratableProcess {
        private static final long serialVersionUID = 1L;
        private final TransactionalFileOutputStream out;
        private final int lines;

        public Exits(String[] args) throws IOException {
            out = new TransactionalFileOutputStream(args[0]);
            lines = Integer.parseInt(args[1]);
        }

        @Override
        public void run() {
            System.out.println("about to exit");
            PrintStream p = new PrintStream(out);
            for (int i = 0; i < lines; i++) {
                p.println(i);
            }
            System.exit(1);
        }

        @Override
        public void suspend() {}
    }

    /** Calls Runtime.halt(7) at once: no shutdown hook runs. */
    public static class Halts implements MigratableProcess {
        private static final long serialVersionUID = 1L;

        @Override
        public void run() {
            Runtime.getRuntime().halt(7);
        }

        @Override
        public void suspend() {}
    }

    /** Holds on to memory until the heap is full. */
    public static class Hogs implements MigratableProcess {
        private static final long serialVersionUID = 1L;
        private transient List<byte[]> held;

        @Override
        public void run() {
            held = new ArrayList<>();
            while (true) {
                held.add(new byte[1 << 20]);
            }
        }

        @Override
        public void suspend() {}
    }

    /**
     * Starts a thread of its own that appends {@code <copy-id> <n>} lines to a side file (a plain stream, not a
     * transactional one) until its JVM ends, then parks in run() until suspended. Every copy has its own id, and
     * writes its JVM's pid to {@code <side>.pid}. Args: {@code <side>}.
     */
    public static class Strays implements MigratableProcess {
        private static final long serialVersionUID = 1L;
        private final String side;
        private transient volatile boolean suspending;

        public Strays(String[] args) {
            side = args[0];
        }

        @Override
        public void run() {
            suspending = false;
            String id = UUID.randomUUID().toString();
            try {
                java.nio.file.Files.writeString(WorkingDirectory.resolve(side + ".pid"),
                        String.valueOf(ProcessHandle.current().pid()));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            Thread stray = new Thread(() -> {
                try (FileOutputStream f = new FileOutputStream(WorkingDirectory.resolve(side).toFile(), true)) {
                    for (long n = 0; ; n++) {
                        f.write((id + " " + n + "\n").getBytes(StandardCharsets.UTF_8));
                        LockSupport.parkNanos(5_000_000); // its own pace: a stray writer, not a test wait
                    }
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }, "stray");
            stray.setDaemon(true);
            stray.start();
            while (!suspending) {
                LockSupport.parkNanos(10_000_000);
            }
        }

        @Override
        public void suspend() {
            suspending = true;
        }
    }

    /** Never returns from run(), whatever is asked; writes its JVM's pid to its one arg's file first. */
    public static class Ignores implements MigratableProcess {
        private static final long serialVersionUID = 1L;
        private final String pidFile;

        public Ignores(String[] args) {
            pidFile = args[0];
        }

        @Override
        public void run() {
            try {
                java.nio.file.Files.writeString(WorkingDirectory.resolve(pidFile),
                        String.valueOf(ProcessHandle.current().pid()));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            while (true) {
                LockSupport.parkNanos(10_000_000); // ignores suspend() and interrupts alike
            }
        }

        @Override
        public void suspend() {}
    }

    /** Returns from run() with its interrupt flag set, printing after it set it: a pattern of careful code. */
    public static class ReturnsInterrupted implements MigratableProcess {
        private static final long serialVersionUID = 1L;

        @Override
        public void run() {
            System.out.println("before");
            Thread.currentThread().interrupt(); // as code that caught an InterruptedException does
            System.out.println("after");
        }

        @Override
        public void suspend() {}
    }

    /** Ends its JVM while it is being serialized (at its first snapshot). */
    public static class HaltsWhenSaved implements MigratableProcess {
        private static final long serialVersionUID = 1L;

        @Override
        public void run() {
            LockSupport.parkNanos(60_000_000_000L); // until suspended or ended
        }

        @Override
        public void suspend() {}

        private void writeObject(java.io.ObjectOutputStream out) {
            Runtime.getRuntime().halt(3);
        }
    }
}
