package io.ferry.worker;

/** A copy cannot be built: its class, its constructor or its snapshot; the message says why in one line. */
public final class Unstartable extends Exception {
    private static final long serialVersionUID = 1L;

    public Unstartable(String why) {
        super(why);
    }

    public Unstartable(String why, Throwable cause) {
        super(why, cause);
    }
}
