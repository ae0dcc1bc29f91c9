package io.ferry.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WorkingDirectoryTest {
    @TempDir
    Path dir;

    @AfterEach
    void unbind() {
        WorkingDirectory.bind(null);
    }

    @Test
    void anUnboundThreadResolvesAgainstTheJvmWorkingDirectory() {
        assertEquals(Paths.get("").toAbsolutePath(), WorkingDirectory.current());
        assertEquals(Paths.get("").toAbsolutePath().resolve("a.txt"), WorkingDirectory.resolve("a.txt"));
    }

    @Test
    void aBoundThreadResolvesRelativeNamesAgainstItsDirectoryAndNormalizes() {
        WorkingDirectory.bind(dir);

        assertEquals(dir.resolve("b.txt"), WorkingDirectory.resolve("sub/../b.txt"));
        assertEquals(Paths.get("/elsewhere/c.txt"), WorkingDirectory.resolve("/elsewhere/c.txt"));
    }

    @Test
    void threadsStartedByABoundThreadInheritItsDirectory() throws InterruptedException {
        WorkingDirectory.bind(dir);
        AtomicReference<Path> seen = new AtomicReference<>();

        Thread child = new Thread(() -> seen.set(WorkingDirectory.current()));
        child.start();
        child.join();

        assertEquals(dir, seen.get());
    }

    @Test
    void bindingNullUnbinds() {
        WorkingDirectory.bind(dir);
        WorkingDirectory.bind(null);

        assertEquals(Paths.get("").toAbsolutePath(), WorkingDirectory.current());
    }

    @Test
    void anEmptyOrNullFileNameIsRejected() {
        assertThrows(IllegalArgumentException.class, () -> WorkingDirectory.resolve(""));
        assertThrows(IllegalArgumentException.class, () -> WorkingDirectory.resolve(null));
    }
}
