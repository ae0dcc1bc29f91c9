package io.ferry.coordination;

public class NoSuchProcessException extends FerryException {
    public NoSuchProcessException(String pid) {
        super("No such process: " + pid + " (see 'ferry ps --all')");
    }
}
