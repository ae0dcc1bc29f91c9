package io.ferry.coordination;

public class NoSuchNodeException extends FerryException {
    public NoSuchNodeException(String node) {
        super("No live node named " + node + " (see 'ferry nodes')");
    }
}
