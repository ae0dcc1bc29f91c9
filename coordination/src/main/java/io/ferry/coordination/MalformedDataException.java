package io.ferry.coordination;

/** A znode whose content Ferry cannot read. */
public class MalformedDataException extends FerryException {
    private final String path;

    public MalformedDataException(String path, String why) {
        super("Malformed data in " + path + ": " + why);
        this.path = path;
    }

    public String path() {
        return path;
    }
}
