package io.ferry.node;

import io.ferry.worker.Copy;
import io.ferry.worker.Launch;
import io.ferry.worker.Ran;
import io.ferry.worker.Start;
import io.ferry.worker.Unstartable;
import io.ferry.worker.Wire;
import io.ferry.worker.Wire.Frame;
import io.ferry.worker.Wire.Type;
import java.io.DataInputStream;
import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A copy of a process in a worker JVM of its own ({@link WorkerJvm}): each call is a frame to the worker and a
 * reply from it. A reader thread ({@code ferry-worker-{pid}}) takes the replies, and what the process prints, which
 * goes to its log. When the JVM ends, every call waiting and every later one fails with {@link Copy.Ended}, saying
 * how it ended; {@link #run} then returns {@link Ran.Outcome#ENDED}.
 */
final class JvmCopy implements Copy {
    private static final Logger LOG = LoggerFactory.getLogger(JvmCopy.class);

    private final WorkerJvm jvm;
    private final ProcessLog output;
    private final String pid;
    private final Duration outputFlush;
    private final Duration grace;
    private final Duration lease;
    private final java.util.concurrent.ScheduledFuture<?> renewals;
    private final Map<Type, CompletableFuture<Frame>> waiting = new ConcurrentHashMap<>();
    private final CompletableFuture<String> ended = new CompletableFuture<>();
    private volatile String exiting;
    private volatile String className;

    /**
     * @param grace how long the JVM gets to end when asked, before it is killed
     * @param lease how long the worker runs on without word from this agent: renewed on {@code timer} four times
     *     per lease, and shorter than the node's ZooKeeper session, so a frozen agent's copies end before the
     *     leader can start them elsewhere
     */
    JvmCopy(WorkerJvm jvm, String pid, ProcessLog output, Duration outputFlush, Duration grace, Duration lease,
            java.util.concurrent.ScheduledExecutorService timer) {
        this.jvm = jvm;
        this.pid = pid;
        this.output = output;
        this.outputFlush = outputFlush;
        this.grace = grace;
        this.lease = lease;
        long every = Math.max(1, lease.toMillis() / 4);
        this.renewals = timer.scheduleAtFixedRate(this::renew, every, every, java.util.concurrent.TimeUnit.MILLISECONDS);
        io.ferry.coordination.FerryThreads.daemon(this::read, "ferry-worker-" + pid).start();
    }

    private void renew() {
        try {
            jvm.wire().send(Type.LEASE);
        } catch (IOException gone) {
            renewals.cancel(false);
        }
    }

    @Override
    public void start(Launch launch, byte[] snapshot) throws Unstartable, IOException, InterruptedException {
        DataInputStream reply = call(Type.START, new Start(pid, launch, outputFlush, lease, snapshot).payload(),
                Type.STARTED);
        if (!reply.readBoolean()) {
            throw new Unstartable(Wire.text(reply));
        }
    }

    /** The reply to the RUN sent by {@link #beginRun}, until {@link #run} has taken it. */
    private CompletableFuture<Frame> ran;

    @Override
    public void beginRun() {
        ran = expect(Type.RAN);
        try {
            jvm.wire().send(Type.RUN);
        } catch (IOException gone) {
            // its JVM has ended: run() says how
        }
    }

    @Override
    public Ran run() throws IOException, InterruptedException {
        if (ran == null) {
            beginRun();
        }
        CompletableFuture<Frame> answer = ran;
        ran = null;
        try {
            DataInputStream reply = await(Type.RAN, answer);
            return new Ran(Ran.Outcome.values()[(int) reply.readLong()], Wire.text(reply));
        } catch (Ended e) {
            return new Ran(Ran.Outcome.ENDED, e.getMessage());
        }
    }

    @Override
    public void suspend(boolean terminate) {
        try {
            jvm.wire().send(Type.SUSPEND, Wire.payload().bool(terminate));
        } catch (IOException gone) {
            // its JVM has ended: run() returns ENDED
        }
    }

    @Override
    public void awaitSuspendCall(Duration timeout) throws IOException, InterruptedException {
        call(Type.AWAIT_SUSPEND, Wire.payload().number(timeout.toMillis()), Type.SUSPEND_AWAITED);
    }

    @Override
    public byte[] serialize() throws IOException, InterruptedException {
        DataInputStream reply = call(Type.SERIALIZE, null, Type.SERIALIZED);
        if (!reply.readBoolean()) {
            throw new IOException(Wire.text(reply));
        }
        byte[] bytes = Wire.blob(reply);
        className = Wire.text(reply);
        return bytes;
    }

    @Override
    public String className() {
        return className;
    }

    @Override
    public String sync() throws InterruptedException {
        try {
            return Wire.text(call(Type.SYNC, null, Type.SYNCED));
        } catch (IOException e) {
            return "output not written: its JVM " + e.getMessage();
        }
    }

    @Override
    public boolean ownJvm() {
        return true;
    }

    @Override
    public void abandon() {
        jvm.kill();
    }

    @Override
    public void close() {
        renewals.cancel(false);
        try {
            jvm.wire().send(Type.CLOSE);
        } catch (IOException gone) {
            // ended already
        }
        try {
            if (!jvm.awaitExit(grace)) {
                LOG.warn("{}: {} did not end within {} ms of being asked; ending it", pid, jvm, grace.toMillis());
                jvm.end(grace);
            }
            ended.get(); // the reader has seen it go, and cleaned up
        } catch (InterruptedException e) {
            jvm.kill();
            Thread.currentThread().interrupt();
        } catch (ExecutionException impossible) {
            throw new IllegalStateException(impossible);
        }
    }

    /** Sends {@code request} and waits for its reply, or for the JVM's end. */
    private DataInputStream call(Type request, Wire.Payload payload, Type reply)
            throws IOException, InterruptedException {
        CompletableFuture<Frame> answer = expect(reply);
        try {
            jvm.wire().send(request, payload);
        } catch (IOException gone) {
            // its JVM has ended: the wait below says how
        }
        return await(reply, answer);
    }

    /** Registers for the next reply of type {@code reply}; the JVM's end fails it. */
    private CompletableFuture<Frame> expect(Type reply) {
        CompletableFuture<Frame> answer = new CompletableFuture<>();
        if (waiting.putIfAbsent(reply, answer) != null) {
            throw new IllegalStateException(pid + ": a " + reply + " is awaited already");
        }
        if (ended.isDone()) {
            answer.completeExceptionally(new Ended(ended.join()));
        }
        return answer;
    }

    private DataInputStream await(Type reply, CompletableFuture<Frame> answer) throws IOException,
            InterruptedException {
        try {
            return answer.get().data();
        } catch (ExecutionException e) {
            throw (Ended) e.getCause();
        } finally {
            waiting.remove(reply, answer);
        }
    }

    /** The reader: replies to their callers, output to the log; at the end, how the JVM ended to everyone. */
    private void read() {
        try {
            while (true) {
                Frame f = jvm.wire().read();
                switch (f.type()) {
                    case OUT -> {
                        DataInputStream in = f.data();
                        in.readLong(); // which stream: both go to the one log, as in thread isolation
                        byte[] bytes = Wire.blob(in);
                        output.write(bytes, 0, bytes.length);
                    }
                    case EXITING -> exiting = Wire.text(f.data());
                    default -> {
                        CompletableFuture<Frame> answer = waiting.get(f.type());
                        if (answer != null) {
                            answer.complete(f);
                        }
                    }
                }
            }
        } catch (IOException gone) {
            // the JVM has ended, or is ending
        }
        String how;
        try {
            if (!jvm.awaitExit(grace)) {
                jvm.kill(); // it closed its socket yet lives on: a worker that cannot talk is no use
                jvm.awaitExit(grace);
            }
            how = jvm.isAlive() ? "stopped answering" : jvm.howItEnded(exiting);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            how = "stopped answering";
        }
        renewals.cancel(false);
        jvm.cleanUp();
        ended.complete(how);
        Ended end = new Ended(how);
        waiting.values().forEach(answer -> answer.completeExceptionally(end));
    }
}
