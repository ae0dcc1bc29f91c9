package io.ferry.worker;

/** How one call of {@code run()} ended. */
public record Ran(Outcome outcome, String detail) {
    public enum Outcome {
        /** run() returned before any suspend() reached it: the process is done. */
        COMPLETED,
        /** run() returned after suspend() (or terminate()) was called in it. */
        SUSPENDED,
        /** run() threw; {@link #detail} is the exception's type and message. */
        THREW,
        /** The copy's JVM ended while it ran; {@link #detail} says how ({@code exited with status 1 (System.exit)}). */
        ENDED
    }

    public static final Ran COMPLETED = new Ran(Outcome.COMPLETED, null);
    public static final Ran SUSPENDED = new Ran(Outcome.SUSPENDED, null);

    public static Ran threw(Throwable t) {
        return new Ran(Outcome.THREW, t.getClass().getSimpleName() + ": "
                + (t.getMessage() != null ? t.getMessage() : t.toString()));
    }
}
