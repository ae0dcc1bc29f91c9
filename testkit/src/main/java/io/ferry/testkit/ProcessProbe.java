package io.ferry.testkit;

import io.ferry.api.MigratableProcess;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.function.Function;

/**
 * Checks that a process survives migration and crashes: that suspending it at arbitrary points, serializing it,
 * restoring it in a fresh class loader and running it again (and, in the crash variant, restoring it from an older
 * snapshot after a copy carried on writing) leaves exactly the same files as one uninterrupted run.
 *
 * <p>Use it from a test, on your own process class:
 *
 * <pre>{@code
 * ProcessProbe.forClass(GrepProcess.class)
 *         .args("needle", "in.txt", "out.txt")   // relative paths, resolved in each sandbox
 *         .inputs(dir)                           // holds in.txt; copied into each sandbox
 *         .cycles(12)
 *         .seed(42)
 *         .assertMigratable();                   // or .assertCrashSafe()
 * }</pre>
 *
 * <p>The probe copies the input directory into two sandboxes. In the first it constructs the process and runs it
 * once, uninterrupted, on a thread whose {@linkplain io.ferry.api.WorkingDirectory working directory} is that
 * sandbox. In the second it constructs the process again and runs {@code run()} on a worker thread; from a helper
 * thread it calls {@code suspend()} (in the first cycle immediately after the start, in later ones after a random
 * delay, or again immediately), waits for {@code run()} and {@code suspend()} to return, serializes the process,
 * restores it in a fresh class loader and calls {@code run()} again on a new thread bound to the same sandbox.
 * After {@link #cycles(int) cycles} such interruptions it lets the process finish, compares every file in the two
 * sandboxes byte for byte and reports the first difference. It never calls {@code suspend()} once {@code run()}
 * has returned: a process that returns before the delay has elapsed is complete. Finally it restores the completed
 * process once more and calls {@code run()}: that must change no file, since a node may resume a process whose
 * checkpoint raced with its completion (see {@link #runAfterCompletion(boolean)}).
 *
 * <p>A classic blocking {@code suspend()}, which waits for {@code run()} to clear a flag, waits forever when
 * {@code run()} completes at the very moment it is called. Neither a node nor the probe can rule that race out;
 * when {@code suspend()} has not returned {@link #suspendTimeout(Duration)} after {@code run()} did, the probe
 * takes the process as complete if its files are (and leaves that daemon thread behind), and fails otherwise.
 *
 * <p>Each copy of the process runs as on a node, under an {@linkplain io.ferry.api.OutputScope output scope} of its
 * own: its transactional streams buffer, everything is synced when it completes, and a copy that another has
 * replaced may not write. So a process that never flushes or closes its output passes. One that buffers output in a
 * wrapper of its own (a {@code BufferedWriter}, say) and leaves bytes there when {@code run()} returns loses them on
 * a node as in a plain run; the probe finds such wrappers in the completed process's fields and fails, naming the
 * field.
 *
 * <p>What the probe requires of a process is what Ferry requires: {@code run()} returns soon after
 * {@code suspend()}, all progress lives in serializable fields, files are read and written only through the
 * transactional streams, and the output depends on the input alone, not on timing.
 *
 * <p>The seed fixes the schedule: which cycles suspend immediately after the start, and where each delay falls
 * between 20 microseconds and the longest delay (evenly on a log scale), which is {@link #maxDelay(Duration)} or else the
 * uninterrupted run's duration divided by the number of cycles. The exact byte at which {@code run()} stops also
 * depends on thread timing, as it does on a real node; so does how many suspensions land before the process
 * completes, which {@link ProbeReport} tells.
 *
 * <p>Failures throw {@link AssertionError} whose message names the process, the seed, the first differing file
 * and byte (with an excerpt of both sides), the last steps taken, and the sandboxes, which are then kept for
 * inspection. Instances are immutable: each {@code with}-style method returns a changed copy, so one probe can be
 * checked with several seeds.
 */
public final class ProcessProbe {
    // Not final only so that each with-style method can fill in its fresh copy; never changed once returned.
    private Function<String[], ? extends MigratableProcess> factory;
    private Class<?> processClass;
    private String processClassName;
    private String[] args = new String[0];
    private Path inputs;
    private int cycles = 10;
    private long seed = 1;
    private Path workDirectory;
    private Duration maxDelay;
    private Duration suspendTimeout = Duration.ofSeconds(10);
    private Duration runTimeout = Duration.ofSeconds(60);
    private boolean runAfterCompletion = true;

    private ProcessProbe() {}

    private ProcessProbe copy() {
        ProcessProbe copy = new ProcessProbe();
        copy.factory = factory;
        copy.processClass = processClass;
        copy.processClassName = processClassName;
        copy.args = args;
        copy.inputs = inputs;
        copy.cycles = cycles;
        copy.seed = seed;
        copy.workDirectory = workDirectory;
        copy.maxDelay = maxDelay;
        copy.suspendTimeout = suspendTimeout;
        copy.runTimeout = runTimeout;
        copy.runAfterCompletion = runAfterCompletion;
        return copy;
    }

    /**
     * A probe for {@code processClass}, constructed through its public {@code (String[] args)} constructor, or its
     * public no-argument one when it has none and no arguments are given. Each incarnation of the process
     * (uninterrupted, interrupted, every restore) gets its own fresh class loader for the class's code source.
     */
    public static ProcessProbe forClass(Class<? extends MigratableProcess> processClass) {
        Objects.requireNonNull(processClass, "processClass");
        ProcessProbe probe = new ProcessProbe();
        probe.processClass = processClass;
        probe.processClassName = processClass.getName();
        return probe;
    }

    /**
     * Like {@link #forClass(Class)}, for a class named at run time, found through the calling thread's context
     * class loader: the way to probe a classic default-package process from a test in a named package.
     */
    public static ProcessProbe forClassName(String className) {
        if (className == null || className.isBlank()) {
            throw new IllegalArgumentException("class name is empty");
        }
        ProcessProbe probe = new ProcessProbe();
        probe.processClassName = className;
        return probe;
    }

    /**
     * A probe for processes made by {@code factory}, which receives the probe's {@link #args(String...)}. It is
     * called on a thread bound to the sandbox, so relative file names resolve there. Restored copies are still
     * loaded in fresh class loaders.
     */
    public static ProcessProbe forFactory(Function<String[], ? extends MigratableProcess> factory) {
        Objects.requireNonNull(factory, "factory");
        ProcessProbe probe = new ProcessProbe();
        probe.factory = factory;
        return probe;
    }

    /**
     * One call for the common case: {@code forClass(processClass).args(args).inputs(inputs).cycles(cycles)
     * .seed(seed).assertMigratable()}.
     */
    public static ProbeReport assertMigratable(Class<? extends MigratableProcess> processClass, String[] args,
            Path inputs, int cycles, long seed) {
        return forClass(processClass).args(args).inputs(inputs).cycles(cycles).seed(seed).assertMigratable();
    }

    /** The process's arguments; file names among them are usually relative, resolved in each sandbox. */
    public ProcessProbe args(String... args) {
        Objects.requireNonNull(args, "args");
        for (String arg : args) {
            Objects.requireNonNull(arg, "an argument is null");
        }
        ProcessProbe copy = copy();
        copy.args = args.clone();
        return copy;
    }

    /** The directory whose files are copied into each sandbox before the process is constructed; none by default. */
    public ProcessProbe inputs(Path directory) {
        ProcessProbe copy = copy();
        copy.inputs = directory;
        return copy;
    }

    /** How many times to suspend, snapshot and restore the process (fewer if it completes first); default 10. */
    public ProcessProbe cycles(int count) {
        if (count < 0) {
            throw new IllegalArgumentException("cycles must be >= 0, got " + count);
        }
        ProcessProbe copy = copy();
        copy.cycles = count;
        return copy;
    }

    /** The seed of the injection schedule; default 1. */
    public ProcessProbe seed(long seed) {
        ProcessProbe copy = copy();
        copy.seed = seed;
        return copy;
    }

    /**
     * Where to create the sandboxes (each check gets its own directory inside), kept afterwards. By default a new
     * temporary directory, deleted when the check passes and kept when it fails.
     */
    public ProcessProbe workDirectory(Path directory) {
        ProcessProbe copy = copy();
        copy.workDirectory = directory;
        return copy;
    }

    /**
     * The longest delay between starting {@code run()} and calling {@code suspend()}. By default the uninterrupted
     * run's duration divided by the number of cycles, so that most suspensions land before the process completes.
     */
    public ProcessProbe maxDelay(Duration delay) {
        ProcessProbe copy = copy();
        copy.maxDelay = positive(delay, "maxDelay");
        return copy;
    }

    /** How long {@code run()} may take to return after {@code suspend()}, and vice versa; default 10 s. */
    public ProcessProbe suspendTimeout(Duration timeout) {
        ProcessProbe copy = copy();
        copy.suspendTimeout = positive(timeout, "suspendTimeout");
        return copy;
    }

    /** How long one constructor, restore or uninterrupted {@code run()} may take; default 60 s. */
    public ProcessProbe runTimeout(Duration timeout) {
        ProcessProbe copy = copy();
        copy.runTimeout = positive(timeout, "runTimeout");
        return copy;
    }

    /**
     * Whether to check that {@code run()}, called again on a restored copy of the completed process, changes no
     * file (default true). A node cannot always tell a process that completed from one that was suspended at
     * that very moment, and then resumes it: a completed process must remember that it is done.
     */
    public ProcessProbe runAfterCompletion(boolean check) {
        ProcessProbe copy = copy();
        copy.runAfterCompletion = check;
        return copy;
    }

    /**
     * Suspends, snapshots and restores the process {@link #cycles(int)} times and checks that its files end up
     * exactly as after an uninterrupted run.
     *
     * @throws AssertionError naming the first difference, or the step that failed
     */
    public ProbeReport assertMigratable() {
        return new ProbeRun(this, false).execute();
    }

    /**
     * Like {@link #assertMigratable()}, but after each snapshot the original copy carries on writing for a random
     * while before it is discarded, as a node that dies would, and the process continues from the snapshot. Its
     * files must still end up exactly as after an uninterrupted run: output written after a snapshot is replaced,
     * never duplicated.
     *
     * @throws AssertionError naming the first difference, or the step that failed
     */
    public ProbeReport assertCrashSafe() {
        return new ProbeRun(this, true).execute();
    }

    @Override
    public String toString() {
        String name = processClassName != null ? processClassName : "factory " + factory;
        return "ProcessProbe[" + name + " " + String.join(" ", args) + ", cycles " + cycles + ", seed " + seed + "]";
    }

    Function<String[], ? extends MigratableProcess> factory() {
        return factory;
    }

    Class<?> processClass() {
        return processClass;
    }

    String processClassName() {
        return processClassName;
    }

    String[] argsCopy() {
        return args.clone();
    }

    Path inputs() {
        return inputs;
    }

    int cycles() {
        return cycles;
    }

    long seed() {
        return seed;
    }

    Path workDirectory() {
        return workDirectory;
    }

    Duration maxDelay() {
        return maxDelay;
    }

    Duration suspendTimeout() {
        return suspendTimeout;
    }

    Duration runTimeout() {
        return runTimeout;
    }

    boolean runAfterCompletion() {
        return runAfterCompletion;
    }

    private static Duration positive(Duration duration, String name) {
        if (duration == null || duration.isNegative() || duration.isZero()) {
            throw new IllegalArgumentException(name + " must be positive, got " + duration);
        }
        return duration;
    }
}
