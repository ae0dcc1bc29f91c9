package io.ferry.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/** The directories a probe runs processes in: copied from the caller's inputs, compared byte for byte. */
final class Sandboxes {
    private static final int EXCERPT = 32;

    private Sandboxes() {}

    /** What two sandboxes hold: how many files and bytes were compared, and the first difference if any. */
    record Comparison(int files, long bytes, Optional<String> firstDifference) {}

    /** Creates {@code target} holding a copy of every file under {@code source} (nothing when source is null). */
    static void create(Path source, Path target) {
        try {
            Files.createDirectories(target);
            if (source == null) {
                return;
            }
            try (Stream<Path> tree = Files.walk(source)) {
                for (Path from : (Iterable<Path>) tree::iterator) {
                    Path to = target.resolve(source.relativize(from).toString());
                    if (Files.isDirectory(from)) {
                        Files.createDirectories(to);
                    } else {
                        Files.copy(from, to);
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot copy the inputs " + source + " into " + target + ": " + e, e);
        }
    }

    /** Compares every regular file under {@code expected} and {@code actual}, in path order. */
    static Comparison compare(Path expected, Path actual) {
        TreeSet<String> names = new TreeSet<>(files(expected));
        names.addAll(files(actual));
        long bytes = 0;
        for (String name : names) {
            Path a = expected.resolve(name);
            Path b = actual.resolve(name);
            if (!Files.exists(b)) {
                return new Comparison(names.size(), bytes, Optional.of(name + " exists only after the uninterrupted run"));
            }
            if (!Files.exists(a)) {
                return new Comparison(names.size(), bytes, Optional.of(name + " exists only after the interrupted run"));
            }
            try {
                long at = Files.mismatch(a, b);
                long size = Files.size(a);
                if (at >= 0) {
                    return new Comparison(names.size(), bytes + at, Optional.of(name + " first differs at byte " + at
                            + " (uninterrupted run: " + size + " bytes, interrupted run: " + Files.size(b) + " bytes)"
                            + "\n  uninterrupted: " + excerpt(a, at)
                            + "\n  interrupted:   " + excerpt(b, at)));
                }
                bytes += size;
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot compare " + a + " with " + b + ": " + e, e);
            }
        }
        return new Comparison(names.size(), bytes, Optional.empty());
    }

    /** A fingerprint of every regular file under {@code root}: path to its SHA-256. */
    static java.util.Map<String, String> digest(Path root) {
        java.util.Map<String, String> digests = new java.util.TreeMap<>();
        for (String name : files(root)) {
            try {
                byte[] hash = java.security.MessageDigest.getInstance("SHA-256")
                        .digest(Files.readAllBytes(root.resolve(name)));
                digests.put(name, java.util.HexFormat.of().formatHex(hash));
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot read " + root.resolve(name) + ": " + e, e);
            } catch (java.security.NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
        }
        return digests;
    }

    /** Deletes {@code dir} and everything under it; a directory already gone is fine. */
    static void delete(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try {
            Files.walkFileTree(dir, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                    Files.delete(file);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult postVisitDirectory(Path d, IOException e) throws IOException {
                    Files.delete(d);
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot delete the probe's sandboxes in " + dir + ": " + e, e);
        }
    }

    private static List<String> files(Path root) {
        try (Stream<Path> tree = Files.walk(root)) {
            return tree.filter(Files::isRegularFile)
                    .map(file -> root.relativize(file).toString())
                    .collect(Collectors.toList());
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot list " + root + ": " + e, e);
        }
    }

    /** The bytes around {@code at}, printable, with the first differing byte in brackets. */
    private static String excerpt(Path file, long at) throws IOException {
        long from = Math.max(0, at - EXCERPT);
        ByteBuffer window = ByteBuffer.allocate((int) (at - from) + EXCERPT);
        try (SeekableByteChannel channel = Files.newByteChannel(file)) {
            channel.position(from);
            while (window.hasRemaining() && channel.read(window) > 0) {
                // read until the window is full or the file ends
            }
        }
        StringBuilder text = new StringBuilder(from > 0 ? "..." : "");
        for (int i = 0; i < window.position(); i++) {
            boolean differing = from + i == at;
            text.append(differing ? "[" : "").append(printable(window.get(i))).append(differing ? "]" : "");
        }
        if (from + window.position() <= at) {
            text.append("[end of file]");
        }
        return text.toString();
    }

    private static String printable(byte b) {
        int c = b & 0xff;
        if (c == '\n') {
            return "\\n";
        }
        if (c == '\\') {
            return "\\\\";
        }
        return c >= 0x20 && c < 0x7f ? String.valueOf((char) c) : String.format("\\x%02x", c);
    }
}
