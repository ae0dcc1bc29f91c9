package io.ferry.coordination;

/** A snapshot that cannot be stored (too large) or loaded (missing, corrupt). */
public class SnapshotException extends FerryException {
    public SnapshotException(String message) {
        super(message);
    }
}
