package io.ferry.examples;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;

/** Input files for the examples' tests, generated deterministically from a seed. */
final class Inputs {
    /** A few hundred KB: big enough that suspensions land mid-file, small enough for fast tests. */
    static final int SIZE = 300 * 1024;

    private static final String[] WORDS = {
        "ferry", "Ferry", "migrate", "snapshot", "ZooKeeper", "node", "leader", "epoch", "a", "the", "of",
        "Quorum", "caf\u00e9", "na\u00efve", "\u00fcber", "x", "offset", "exactly-once", "42", "zz", "Zebra",
    };

    private Inputs() {}

    /**
     * Lines of words separated by spaces, sometimes tabs or runs of spaces, with empty lines, mixed case and
     * non-ASCII UTF-8; every line ends in '\n'.
     */
    static Path text(Path dir, String name, int size, long seed) {
        Random random = new Random(seed);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(size + 256);
        while (bytes.size() < size) {
            StringBuilder line = new StringBuilder();
            int words = random.nextInt(12);
            for (int i = 0; i < words; i++) {
                if (i > 0) {
                    line.append(random.nextInt(10) == 0 ? "\t  " : " ");
                }
                line.append(WORDS[random.nextInt(WORDS.length)]);
            }
            bytes.writeBytes(line.append('\n').toString().getBytes(StandardCharsets.UTF_8));
        }
        return write(dir.resolve(name), bytes.toByteArray());
    }

    /** Seeded noise: every byte value, so a copy that is not byte-exact shows. */
    static Path binary(Path dir, String name, int size, long seed) {
        byte[] bytes = new byte[size];
        new Random(seed).nextBytes(bytes);
        return write(dir.resolve(name), bytes);
    }

    static Path write(Path file, String text) {
        return write(file, text.getBytes(StandardCharsets.UTF_8));
    }

    static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Path write(Path file, byte[] bytes) {
        try {
            return Files.write(file, bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
