package io.ferry.coordination;

/** A request Ferry refused or could not carry out. The message says what was wrong and, where it can, the fix. */
public class FerryException extends RuntimeException {
    public FerryException(String message) {
        super(message);
    }

    public FerryException(String message, Throwable cause) {
        super(message, cause);
    }
}
