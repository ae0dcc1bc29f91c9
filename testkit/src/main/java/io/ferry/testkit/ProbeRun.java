package io.ferry.testkit;

import io.ferry.api.MigratableProcess;
import io.ferry.api.OutputScope;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.NotSerializableException;
import java.io.ObjectOutputStream;
import java.io.UncheckedIOException;
import java.lang.reflect.InvocationTargetException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.CodeSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.CountDownLatch;

/** One check of a {@link ProcessProbe}: the uninterrupted run, the interrupted one, the comparison. */
final class ProbeRun {
    /** How many of the last steps a failure message shows. */
    private static final int TRACE_SHOWN = 25;
    /** One in this many later cycles suspends immediately after the start too. */
    private static final int IMMEDIATE_ONE_IN = 8;
    /**
     * Delays are spread evenly on a log scale between this and the longest delay, so that fast processes still get
     * most of their suspensions before they complete and slow ones are also stopped deep into a run.
     */
    private static final long MIN_DELAY_NANOS = 20_000;
    /** As on a node by default: bytes reach the OS within a second while a copy runs. */
    private static final java.time.Duration FLUSH_DELAY = java.time.Duration.ofSeconds(1);

    private enum Outcome {
        /** {@code run()} returned on its own. */
        COMPLETED,
        /** {@code run()} returned after {@code suspend()}, and {@code suspend()} returned. */
        SUSPENDED,
        /** {@code run()} returned, but {@code suspend()} is still waiting (for a flag the process never clears). */
        SUSPEND_STUCK
    }

    private final ProcessProbe probe;
    private final boolean crashes;
    private final Random random;
    private final List<String> trace = new ArrayList<>();
    private final List<ProcessClassLoader> loaders = new ArrayList<>();

    private Path work;
    private Path uninterrupted;
    private Path interrupted;
    private final String description;
    private URL codeSource;
    private ClassLoader parentLoader;
    private long maxDelayNanos;
    private int suspensions;
    private int crashCount;
    private long largestSnapshot;

    ProbeRun(ProcessProbe probe, boolean crashes) {
        this.probe = probe;
        this.crashes = crashes;
        this.random = new Random(probe.seed());
        this.description = (probe.processClassName() != null ? probe.processClassName() : "a factory's process")
                + " " + String.join(" ", probe.argsCopy());
    }

    ProbeReport execute() {
        work = createWorkDirectory();
        uninterrupted = work.resolve("uninterrupted");
        interrupted = work.resolve("interrupted");
        try {
            Sandboxes.create(probe.inputs(), uninterrupted);
            Sandboxes.create(probe.inputs(), interrupted);
            ProbeReport report = check();
            if (probe.workDirectory() == null) {
                Sandboxes.delete(work);
            }
            return report;
        } finally {
            for (ProcessClassLoader loader : loaders) {
                try {
                    loader.close();
                } catch (IOException e) {
                    // only releases jar handles; nothing to report
                }
            }
        }
    }

    private ProbeReport check() {
        // Each copy of the process gets an output scope of its own, as on a node: its streams buffer, its files are
        // synced when it completes, and it is fenced off once another copy takes over.
        OutputScope referenceFiles = newScope();
        MigratableProcess reference = create(uninterrupted, referenceFiles, "uninterrupted run");
        long started = System.nanoTime();
        run(reference, uninterrupted, referenceFiles, "uninterrupted run");
        long baseline = System.nanoTime() - started;
        completeLikeANode(reference, referenceFiles, "uninterrupted run");
        requireNoOutputLeftInOwnBuffers(reference, referenceFiles);
        maxDelayNanos = probe.maxDelay() != null
                ? probe.maxDelay().toNanos()
                : Math.max(MIN_DELAY_NANOS, baseline / Math.max(1, probe.cycles()));
        step("uninterrupted run took " + millis(baseline) + "; suspend() delays up to " + millis(maxDelayNanos));

        OutputScope files = newScope();
        MigratableProcess process = create(interrupted, files, "interrupted run");
        boolean completed = false;
        for (int cycle = 1; cycle <= probe.cycles() && !completed; cycle++) {
            boolean immediately = cycle == 1 || random.nextInt(IMMEDIATE_ONE_IN) == 0;
            long delay = immediately ? 0 : randomDelay();
            String label = "cycle " + cycle;
            Outcome outcome = runAndSuspend(process, interrupted, files, label, delay);
            if (outcome != Outcome.SUSPENDED) {
                completed = true;
                completeLikeANode(process, files, label);
                if (outcome == Outcome.SUSPEND_STUCK) {
                    requireSameFiles(label + ": run() returned but suspend() did not return within "
                            + probe.suspendTimeout() + "; if suspend() waits for run() to clear a flag, run() must"
                            + " clear it before returning. Files at that point: ");
                    step(label + ": run() had completed when suspend() was called; that suspend() never returns");
                }
                continue;
            }
            suspensions++;
            byte[] snapshot = snapshot(process, label);
            if (crashes) {
                long crashDelay = randomDelay();
                Outcome crashed = runAndSuspend(process, interrupted, files, "crashed copy " + cycle, crashDelay);
                step("crashed copy " + cycle + " " + (crashed == Outcome.SUSPENDED ? "stopped" : "completed")
                        + "; discarded, continuing from the snapshot of cycle " + cycle);
                crashCount++;
            }
            files.close();
            files = newScope();
            process = restore(snapshot, process.getClass().getName(), files, label);
        }
        if (!completed) {
            run(process, interrupted, files, "final run");
            completeLikeANode(process, files, "final run");
        }
        Sandboxes.Comparison comparison = requireSameFiles("");

        if (probe.runAfterCompletion()) {
            byte[] done = snapshot(process, "after completion");
            files.close();
            OutputScope againFiles = newScope();
            MigratableProcess again = restore(done, process.getClass().getName(), againFiles, "after completion");
            run(again, interrupted, againFiles, "run() after completion");
            completeLikeANode(again, againFiles, "run() after completion");
            requireSameFiles("run() on a restored copy of the completed process changed its files. A node may resume"
                    + " a process whose checkpoint raced with its completion, so a completed process must remember"
                    + " that it is done and return from run() at once (or disable this check with"
                    + " runAfterCompletion(false)): ");
        }
        files.close();
        return new ProbeReport(suspensions, crashCount, comparison.files(), comparison.bytes(), largestSnapshot);
    }

    private static OutputScope newScope() {
        return OutputScope.open(FLUSH_DELAY);
    }

    /** What a node does when run() has returned on its own: every byte written goes to disk before COMPLETED. */
    private void completeLikeANode(MigratableProcess process, OutputScope files, String label) {
        try {
            files.sync();
        } catch (IOException e) {
            fail(label + ": the process completed but its output could not be written: " + e.getMessage(), e);
        }
    }

    /**
     * A node writes what the transactional streams hold, not what a process buffers in wrappers of its own. Flushes
     * every such wrapper the completed reference copy still holds: if that changes a file, the process loses that
     * output on a node (and in a plain run), and the probe says where it was held.
     */
    private void requireNoOutputLeftInOwnBuffers(MigratableProcess process, OutputScope files) {
        java.util.Map<String, String> before = Sandboxes.digest(uninterrupted);
        List<String> flushed = OwnBuffers.flushAll(process);
        completeLikeANode(process, files, "uninterrupted run");
        files.close();
        if (!flushed.isEmpty() && !Sandboxes.digest(uninterrupted).equals(before)) {
            fail("output is lost: when run() returned, " + String.join(", ", flushed) + " still held bytes that"
                    + " never reached the file. Ferry writes what the transactional streams hold, not what a process"
                    + " buffers itself: flush() or close() it before run() returns, or write to the transactional"
                    + " stream directly", null);
        }
    }

    private long randomDelay() {
        double ratio = (double) maxDelayNanos / MIN_DELAY_NANOS;
        return (long) (MIN_DELAY_NANOS * Math.pow(ratio, random.nextDouble()));
    }

    /** Runs {@code process} to completion. */
    private void run(MigratableProcess process, Path dir, OutputScope files, String label) {
        BoundThread<Void> worker = BoundThread.start(threadName(label), dir, files, loaderOf(process), process);
        if (!worker.awaitEnd(probe.runTimeout())) {
            fail(label + ": run() did not return within " + probe.runTimeout() + "; it is now" + worker.stack(), null);
        }
        requireNoFailure(worker, label + ": run() threw");
        step(label + ": run() completed");
    }

    /**
     * Runs {@code process} and calls {@code suspend()} from a helper thread after {@code delayNanos}, unless
     * {@code run()} has returned by then: calling a classic blocking {@code suspend()} on a finished process would
     * wait forever.
     */
    private Outcome runAndSuspend(MigratableProcess process, Path dir, OutputScope files, String label,
            long delayNanos) {
        ClassLoader loader = loaderOf(process);
        // The worker waits until the suspender is running, so that "immediately" and each delay count from the
        // start of run(), not from whenever a busy machine gets round to scheduling the suspender.
        CountDownLatch armed = new CountDownLatch(1);
        BoundThread<Void> worker = BoundThread.start(threadName(label), dir, files, loader, () -> {
            armed.await();
            Thread.yield(); // lets a suspender that woke us on its own CPU, and was preempted for it, go first
            process.run();
            return null;
        });
        BoundThread<Boolean> suspender = BoundThread.start(threadName(label) + "-suspend", dir, files, loader,
                () -> {
            armed.countDown();
            if (worker.awaitEnd(delayNanos)) {
                return false;
            }
            process.suspend();
            return true;
        });
        String when = delayNanos == 0 ? "immediately after the start" : "after " + millis(delayNanos);
        if (!worker.awaitEnd(delayNanos + probe.suspendTimeout().toNanos())) {
            fail(label + ": run() did not return within " + probe.suspendTimeout() + " of suspend() (called " + when
                    + "); does run() check its suspend flag often enough? It is now" + worker.stack(), null);
        }
        requireNoFailure(worker, label + ": run() threw");
        if (!suspender.awaitEnd(probe.suspendTimeout())) {
            step(label + ": run() returned, suspend() (called " + when + ") has not");
            return Outcome.SUSPEND_STUCK;
        }
        requireNoFailure(suspender, label + ": suspend() threw");
        if (!suspender.result()) {
            step(label + ": run() completed before suspend() was called (" + when + ")");
            return Outcome.COMPLETED;
        }
        step(label + ": suspend() " + when + ", run() returned");
        return Outcome.SUSPENDED;
    }

    private MigratableProcess create(Path dir, OutputScope files, String label) {
        String[] args = probe.argsCopy();
        ProcessClassLoader loader = probe.factory() == null ? newLoader() : null;
        BoundThread<Object> constructor = BoundThread.start(threadName(label) + "-new", dir, files, loader,
                () -> probe.factory() != null ? probe.factory().apply(args) : instantiate(loader, args));
        if (!constructor.awaitEnd(probe.runTimeout())) {
            fail(label + ": constructing the process took longer than " + probe.runTimeout() + constructor.stack(),
                    null);
        }
        requireNoFailure(constructor, label + ": constructing the process failed");
        Object made = constructor.result();
        if (!(made instanceof MigratableProcess)) {
            fail(label + ": " + (made == null ? "the factory returned null"
                    : made.getClass().getName() + " does not implement " + MigratableProcess.class.getName()), null);
        }
        if (parentLoader == null) { // a factory's process: isolate its restores by its own class's code source
            parentLoader = made.getClass().getClassLoader();
            codeSource = codeSourceOf(made.getClass());
        }
        step(label + ": constructed " + describe(made) + " in " + dir);
        return (MigratableProcess) made;
    }

    private Object instantiate(ClassLoader loader, String[] args) throws Exception {
        Class<?> type;
        try {
            type = Class.forName(probe.processClassName(), true, loader);
        } catch (ClassNotFoundException e) {
            throw new ClassNotFoundException("No class " + probe.processClassName() + " on the classpath", e);
        }
        try {
            return type.getConstructor(String[].class).newInstance((Object) args);
        } catch (NoSuchMethodException noArgsConstructor) {
            if (args.length > 0) {
                throw new NoSuchMethodException(type.getName() + " has no public constructor taking String[] args");
            }
            try {
                return type.getConstructor().newInstance();
            } catch (NoSuchMethodException e) {
                throw new NoSuchMethodException(type.getName()
                        + " has neither a public (String[] args) constructor nor a public no-argument one");
            }
        } catch (InvocationTargetException e) { // report what the constructor threw, not the reflection wrapper
            if (e.getCause() instanceof Error) {
                throw (Error) e.getCause();
            }
            throw e.getCause() instanceof Exception ? (Exception) e.getCause() : e;
        }
    }

    private byte[] snapshot(MigratableProcess process, String label) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(process);
        } catch (NotSerializableException e) {
            fail(label + ": the process cannot be serialized: " + e.getMessage() + " is not Serializable; make the"
                    + " field that holds it transient and rebuild it in run()", e);
        } catch (IOException e) {
            fail(label + ": serializing the process failed: " + e, e);
        }
        largestSnapshot = Math.max(largestSnapshot, bytes.size());
        step(label + ": snapshot of " + bytes.size() + " bytes");
        return bytes.toByteArray();
    }

    /** Restores a snapshot in a fresh class loader, on a thread bound to the interrupted sandbox. */
    private MigratableProcess restore(byte[] snapshot, String className, OutputScope files, String label) {
        ProcessClassLoader loader = newLoader();
        BoundThread<Object> reader = BoundThread.start(threadName(label) + "-restore", interrupted, files, loader,
                () -> {
            return new io.ferry.worker.Loading(loader).deserialize(snapshot, className, loader);
        });
        if (!reader.awaitEnd(probe.runTimeout())) {
            fail(label + ": restoring the snapshot took longer than " + probe.runTimeout() + reader.stack(), null);
        }
        requireNoFailure(reader, label + ": restoring the process from its snapshot failed");
        return (MigratableProcess) reader.result();
    }

    private ProcessClassLoader newLoader() {
        if (parentLoader == null) {
            Class<?> type = probe.processClass() != null ? probe.processClass() : findClass(probe.processClassName());
            parentLoader = type.getClassLoader();
            codeSource = codeSourceOf(type);
        }
        ProcessClassLoader loader = new ProcessClassLoader(codeSource, parentLoader);
        loaders.add(loader);
        return loader;
    }

    private Class<?> findClass(String name) {
        ClassLoader context = Thread.currentThread().getContextClassLoader();
        try {
            return Class.forName(name, false, context != null ? context : ProcessProbe.class.getClassLoader());
        } catch (ClassNotFoundException e) {
            throw fail("No class " + name + " on the classpath", e);
        }
    }

    private static URL codeSourceOf(Class<?> type) {
        CodeSource source = type.getProtectionDomain().getCodeSource();
        return source == null ? null : source.getLocation();
    }

    private Sandboxes.Comparison requireSameFiles(String context) {
        Sandboxes.Comparison comparison = Sandboxes.compare(uninterrupted, interrupted);
        Optional<String> difference = comparison.firstDifference();
        if (difference.isPresent()) {
            fail(context + difference.get(), null);
        }
        return comparison;
    }

    private void requireNoFailure(BoundThread<?> thread, String what) {
        Throwable failure = thread.failure();
        if (failure != null) {
            fail(what + ": " + failure, failure);
        }
    }

    private AssertionError fail(String what, Throwable cause) {
        StringBuilder message = new StringBuilder("ProcessProbe: ").append(description)
                .append(" (").append(crashes ? "crash-safe" : "migratable").append(" check, seed ")
                .append(probe.seed()).append(", ").append(probe.cycles()).append(" cycles): ").append(what)
                .append("\nLast steps:");
        for (String step : trace.subList(Math.max(0, trace.size() - TRACE_SHOWN), trace.size())) {
            message.append("\n  ").append(step);
        }
        message.append("\nSandboxes kept in ").append(work);
        throw new AssertionError(message.toString(), cause);
    }

    private void step(String what) {
        trace.add(what);
    }

    private Path createWorkDirectory() {
        try {
            return probe.workDirectory() == null
                    ? Files.createTempDirectory("ferry-probe-")
                    : Files.createTempDirectory(Files.createDirectories(probe.workDirectory()), "probe-");
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot create the probe's sandboxes: " + e, e);
        }
    }

    private static ClassLoader loaderOf(MigratableProcess process) {
        return process.getClass().getClassLoader();
    }

    private String threadName(String label) {
        return "ferry-probe-" + label.replace(' ', '-').replace("()", "");
    }

    private static String describe(Object process) {
        try {
            return String.valueOf(process);
        } catch (RuntimeException e) {
            return process.getClass().getName() + " (toString() threw " + e + ")";
        }
    }

    private static String millis(long nanos) {
        return String.format(Locale.ROOT, "%.3f ms", nanos / 1e6);
    }
}
