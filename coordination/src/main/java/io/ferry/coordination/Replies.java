package io.ferry.coordination;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/** Waits for the replies to requests sent asynchronously on one connection, keeping the first failure. */
final class Replies {
    /** Far beyond any healthy reply: a wait that ends here says what it waited for. */
    private static final long WAIT_SECONDS = 60;

    private final CountDownLatch left;
    private final AtomicReference<Exception> failure = new AtomicReference<>();

    Replies(int expected) {
        this.left = new CountDownLatch(expected);
    }

    /** A reply said the request failed; the first such failure is what {@link #await} throws. */
    void failed(Exception e) {
        failure.compareAndSet(null, e);
    }

    /** A reply arrived, whatever it said. */
    void arrived() {
        left.countDown();
    }

    /** Until every reply has arrived; then throws the first failure, if any. */
    void await(String what) throws Exception {
        if (!left.await(WAIT_SECONDS, TimeUnit.SECONDS)) {
            throw new FerryException("Timed out " + what);
        }
        if (failure.get() != null) {
            throw failure.get();
        }
    }
}
