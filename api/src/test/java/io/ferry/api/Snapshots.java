package io.ferry.api;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.Serializable;
import java.io.UncheckedIOException;

/** Java serialization round trips, as a node does when it snapshots a process and another node restores it. */
final class Snapshots {
    private Snapshots() {}

    static byte[] take(Serializable object) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(object);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    @SuppressWarnings("unchecked")
    static <T> T restore(byte[] snapshot) {
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(snapshot))) {
            return (T) in.readObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (ClassNotFoundException e) {
            throw new AssertionError(e);
        }
    }

    static <T extends Serializable> T copy(T object) {
        return restore(take(object));
    }

    /** Where {@code pattern} first occurs in {@code snapshot}; fails the test when it does not. */
    static int indexOf(byte[] snapshot, byte[] pattern) {
        outer:
        for (int i = 0; i + pattern.length <= snapshot.length; i++) {
            for (int j = 0; j < pattern.length; j++) {
                if (snapshot[i + j] != pattern[j]) {
                    continue outer;
                }
            }
            return i;
        }
        throw new AssertionError("pattern not found in snapshot");
    }
}
