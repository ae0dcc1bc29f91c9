package io.ferry.api;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;

/** Deterministic file contents for stream tests. */
final class TestFiles {
    private TestFiles() {}

    /** {@code size} bytes of seeded noise: every byte value occurs, so no test passes by accident on text. */
    static byte[] noise(int size, long seed) {
        byte[] bytes = new byte[size];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }

    /** Lines of varying length, each ending in '\n', {@code count} of them. */
    static byte[] lines(int count) {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < count; i++) {
            text.append("line ").append(i).append(' ').append("x".repeat(i % 97)).append('\n');
        }
        return text.toString().getBytes(StandardCharsets.US_ASCII);
    }

    static Path write(Path file, byte[] content) {
        try {
            return Files.write(file, content);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static byte[] read(Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
