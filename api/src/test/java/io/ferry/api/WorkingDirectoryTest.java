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

    @Test
    void aConfinedThreadRefusesPathsOutsideThroughDotsLinksAndDanglingLinks() throws Exception {
        Path work = java.nio.file.Files.createDirectories(dir.resolve("work"));
        Path root = java.nio.file.Files.createDirectories(dir.resolve("root"));
        Path outside = java.nio.file.Files.createDirectories(dir.resolve("outside"));
        java.nio.file.Files.createSymbolicLink(work.resolve("link"), outside);
        java.nio.file.Files.createSymbolicLink(work.resolve("dangling"), outside.resolve("new.txt"));
        WorkingDirectory.bind(work, java.util.List.of(root));

        assertEquals(work.resolve("a/b.txt"), WorkingDirectory.resolve("a/b.txt"));
        assertEquals(root.resolve("c.txt"), WorkingDirectory.resolve(root.resolve("c.txt").toString()));
        for (String escape : new String[] {"../outside/x", "link/x", "dangling", outside.resolve("y").toString()}) {
            SecurityException e = assertThrows(SecurityException.class, () -> WorkingDirectory.resolve(escape),
                    escape);
            org.junit.jupiter.api.Assertions.assertTrue(e.getMessage().contains(WorkingDirectory.FILE_ROOTS), e::getMessage);
        }
        assertThrows(java.io.InvalidObjectException.class,
                () -> WorkingDirectory.checkRestored(work + "/link/../x"), "a restored name that is not normal");
        assertThrows(java.io.InvalidObjectException.class, () -> WorkingDirectory.checkRestored("relative.txt"));
        WorkingDirectory.checkRestored(work.resolve("fine.txt").toString());
        org.junit.jupiter.api.Assertions.assertFalse(java.nio.file.Files.exists(outside.resolve("new.txt")));
    }
}
