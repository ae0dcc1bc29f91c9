package io.ferry.coordination;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/** Files that hold secrets (keys, passwords): written readable by their owner only, and refused when not. */
public final class Secrets {
    /** Far more than any secret file holds: a wrong path to a big file is not read whole. */
    private static final long MAX_FILE_BYTES = 4096;

    private Secrets() {}

    /**
     * The trimmed text of a secret file.
     *
     * @param setting the setting that names it, for messages
     * @throws FerryException naming the file and the setting when it is missing, too big, or readable by others
     */
    public static String read(Path file, String setting) {
        try {
            if (Files.size(file) > MAX_FILE_BYTES) {
                throw new FerryException("Secret file " + file + " (" + setting + ") is over " + MAX_FILE_BYTES
                        + " bytes: not a secret Ferry wrote; check " + setting);
            }
            requirePrivate(file);
            return Files.readString(file, StandardCharsets.US_ASCII).trim();
        } catch (IOException e) {
            throw new FerryException("Cannot read " + file + " (" + setting + "): " + e);
        }
    }

    /** Writes {@code text} to a new {@code file} that only its owner can read. */
    public static void write(Path file, String text) throws IOException {
        Files.deleteIfExists(file);
        Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(file, text + "\n", StandardCharsets.US_ASCII);
    }

    private static void requirePrivate(Path file) throws IOException {
        Set<PosixFilePermission> perms;
        try {
            perms = Files.getPosixFilePermissions(file);
        } catch (UnsupportedOperationException notPosix) {
            return;
        }
        for (PosixFilePermission p : perms) {
            if (p.name().startsWith("GROUP") || p.name().startsWith("OTHERS")) {
                // read, it gives away the secret; written, another's secret takes its place
                throw new FerryException("Secret file " + file + " is open to others ("
                        + PosixFilePermissions.toString(perms) + "); whoever can read or replace it holds its power:"
                        + " chmod 600 " + file);
            }
        }
    }
}
