package io.ferry.worker;

import io.ferry.api.MigratableProcess;
import io.ferry.api.OutputScope;
import io.ferry.api.WorkingDirectory;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A copy of a process in this JVM. Process code (constructor, {@code run()}, {@code suspend()}, serialization
 * hooks) always runs with the copy's working directory, output scope, class loader and {@link Context} bound to the
 * calling thread, so that threads it starts inherit them.
 */
public final class LocalCopy implements Copy {
    /** Who went first in one run(): decided once, by compare-and-set. */
    enum Turn {
        /** run() is inside and no suspend() has been called in it. */
        IN_RUN,
        /** suspend() was called while run() was inside: its return is a suspension. */
        SUSPEND_CALLED,
        /** run() returned on its own: suspend() is never called in it now. */
        RETURNED
    }

    /** What else a thread running process code is bound to (the node's per-thread output in thread mode). */
    public interface Context {
        Context NONE = bound -> {};

        /** Called with true before process code runs on this thread, and with false after. */
        void bind(boolean bound);
    }

    private final String pid;
    private final Loading loading;
    private final ExecutorService helpers;
    private final OutputScope files;
    private final Context context;
    private Path workdir;
    private java.util.List<Path> fileRoots;
    private ClassLoader loader;
    private volatile MigratableProcess process;
    private volatile Thread runner;

    // Guarded by this.
    private AtomicReference<Turn> turn = new AtomicReference<>(Turn.RETURNED);
    private Future<?> suspendCall;
    /** A suspend() from an earlier run() is still inside: the next run()'s return counts as a suspension. */
    private boolean carryOver;
    /** {@link #beginRun} was called and its run() has not started yet. */
    private boolean begun;

    /**
     * @param pid the process this is a copy of, to name the threads that call into it
     * @param helpers where {@code suspend()} is called, so a suspend() that blocks holds up nothing else
     * @param outputFlush how long written bytes may wait in a stream's buffer before they reach the file
     */
    public LocalCopy(String pid, Loading loading, ExecutorService helpers, Duration outputFlush, Context context) {
        this.pid = pid;
        this.loading = loading;
        this.helpers = helpers;
        this.files = OutputScope.open(outputFlush);
        this.context = context;
    }

    @Override
    public void start(Launch launch, byte[] snapshot) throws Unstartable {
        workdir = Path.of(launch.workdir());
        fileRoots = launch.fileRootPaths();
        loader = loading.loaderFor(launch);
        enter();
        try {
            process = snapshot == null ? loading.construct(launch, loader) : loading.deserialize(snapshot, launch.className(), loader);
        } catch (Unstartable e) {
            throw e;
        } catch (Throwable e) { // any failure of process code or its classes: a static initializer, a linkage
            throw new Unstartable(Loading.whyUnstartable(e), e);
        } finally {
            exit();
        }
    }

    @Override
    public synchronized void beginRun() {
        turn = new AtomicReference<>(carryOver ? Turn.SUSPEND_CALLED : Turn.IN_RUN);
        begun = true;
    }

    @Override
    public Ran run() {
        AtomicReference<Turn> now;
        synchronized (this) {
            if (!begun) {
                beginRun();
            }
            begun = false;
            now = turn;
        }
        runner = Thread.currentThread();
        enter();
        Throwable thrown = null;
        try {
            process.run();
        } catch (Throwable t) {
            thrown = t;
        } finally {
            exit();
            runner = null;
        }
        boolean suspended = !now.compareAndSet(Turn.IN_RUN, Turn.RETURNED);
        if (thrown != null) {
            return Ran.threw(thrown);
        }
        return suspended ? Ran.SUSPENDED : Ran.COMPLETED;
    }

    @Override
    public synchronized void suspend(boolean terminate) {
        if (suspendCall != null && !suspendCall.isDone()) {
            return; // an earlier suspend() has not returned yet; it still stands
        }
        MigratableProcess p = process;
        AtomicReference<Turn> of = turn;
        try {
            suspendCall = helpers.submit(() -> callSuspend(p, of, terminate));
        } catch (RejectedExecutionException stopped) {
            // the node has stopped: nothing is asked of its processes any more
        }
    }

    private void callSuspend(MigratableProcess p, AtomicReference<Turn> of, boolean terminate) {
        if (!of.compareAndSet(Turn.IN_RUN, Turn.SUSPEND_CALLED)) {
            return; // run() has returned (or suspend() was already called in it): never call it now
        }
        Thread self = Thread.currentThread();
        String name = self.getName();
        self.setName("ferry-suspend-" + pid); // so a suspend() that hangs is easy to find in a thread dump
        enter();
        try {
            if (terminate) {
                p.terminate();
            } else {
                p.suspend();
            }
        } catch (RuntimeException e) {
            System.getLogger(LocalCopy.class.getName()).log(System.Logger.Level.WARNING,
                    "suspend() threw " + e);
        } finally {
            exit();
            self.setName(name);
        }
    }

    @Override
    public void awaitSuspendCall(Duration timeout) throws InterruptedException {
        Future<?> call;
        synchronized (this) {
            call = suspendCall;
        }
        if (call != null) {
            try {
                call.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            } catch (TimeoutException | java.util.concurrent.ExecutionException still) {
                // still inside (it stays in force), or threw, which the call itself has logged
            }
        }
        synchronized (this) {
            carryOver = call != null && !call.isDone();
            if (!carryOver) {
                suspendCall = null;
            }
        }
    }

    @Override
    public byte[] serialize() throws IOException {
        enter();
        try {
            return Loading.serialize(process);
        } finally {
            exit();
        }
    }

    @Override
    public String className() {
        return process.getClass().getName();
    }

    @Override
    public String sync() {
        try {
            files.sync();
            return null;
        } catch (IOException e) {
            return "output not written: " + e.getMessage();
        }
    }

    @Override
    public boolean ownJvm() {
        return false;
    }

    @Override
    public void abandon() {
        files.close(); // what the abandoned thread writes from now on is refused
        Thread t = runner;
        if (t != null) {
            t.interrupt();
        }
    }

    @Override
    public void close() {
        files.close();
    }

    private void enter() {
        if (workdir != null) {
            WorkingDirectory.bind(workdir, fileRoots);
        }
        OutputScope.bind(files);
        Thread.currentThread().setContextClassLoader(loader);
        context.bind(true);
    }

    private void exit() {
        context.bind(false);
        OutputScope.bind(null);
    }
}
