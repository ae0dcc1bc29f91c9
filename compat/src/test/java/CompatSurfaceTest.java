import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ferry.api.WorkingDirectory;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.Serializable;
import java.lang.reflect.Executable;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What classic processes call on compat's classes exists, with the signatures they compile against. */
class CompatSurfaceTest {
    private static final List<String> HELPERS = List.of("setMigrated", "getMigrated", "closeStream", "getFileName");

    @TempDir
    Path dir;

    @AfterEach
    void unbind() {
        WorkingDirectory.bind(null);
    }

    @Test
    void streamConstructorsAndHelpersDeclareNoCheckedException() {
        List<Executable> surface = new ArrayList<>();
        for (Class<?> stream : List.of(TransactionalFileInputStream.class, TransactionalFileOutputStream.class)) {
            surface.addAll(Arrays.asList(stream.getConstructors()));
            for (Method method : stream.getMethods()) {
                if (HELPERS.contains(method.getName())) {
                    surface.add(method);
                }
            }
        }

        assertEquals(2 + 4 + 2 * HELPERS.size(), surface.size(), "constructors and helpers: " + surface);
        for (Executable executable : surface) {
            for (Class<?> thrown : executable.getExceptionTypes()) {
                assertTrue(RuntimeException.class.isAssignableFrom(thrown) || Error.class.isAssignableFrom(thrown),
                        executable + " declares the checked " + thrown.getName());
            }
        }
    }

    @Test
    void theStreamsOfferTheConstructorsClassicProcessesCall() throws NoSuchMethodException {
        TransactionalFileInputStream.class.getConstructor(String.class);
        TransactionalFileInputStream.class.getConstructor(File.class);
        TransactionalFileOutputStream.class.getConstructor(String.class);
        TransactionalFileOutputStream.class.getConstructor(String.class, boolean.class);
        TransactionalFileOutputStream.class.getConstructor(File.class);
        TransactionalFileOutputStream.class.getConstructor(File.class, boolean.class);
    }

    @Test
    void migratableProcessDeclaresTheClassicHooksAsDefaultsAndNoGetName() {
        for (String hook : List.of("terminate", "print", "remove", "getFinished", "resume", "suspend", "run")) {
            assertTrue(Stream.of(MigratableProcess.class.getMethods()).anyMatch(m -> m.getName().equals(hook)), hook);
        }
        for (Method method : MigratableProcess.class.getDeclaredMethods()) {
            assertTrue(method.isDefault(), method + " must be a default method");
        }
        assertTrue(Stream.of(MigratableProcess.class.getMethods()).noneMatch(m -> m.getName().equals("getName")),
                "a public getName() would clash with the package-private one some peers declare");
        assertTrue(Serializable.class.isAssignableFrom(MigratableProcess.class));
        assertTrue(io.ferry.api.MigratableProcess.class.isAssignableFrom(MigratableProcess.class));
        assertTrue(Modifier.isPublic(MigratableProcess.class.getModifiers()));
    }

    @Test
    void theClassicHooksDoNothingByDefault() {
        MigratableProcess process = new MigratableProcess() {
            @Override
            public void run() {}

            @Override
            public void suspend() {}
        };

        process.print();
        process.remove();
        process.resume();
        process.terminate();
        assertFalse(process.getFinished());
    }

    @Test
    void setMigratedReleasesTheHandleAndReadingContinuesAtTheSameByte() throws IOException {
        Path file = Files.writeString(dir.resolve("in.txt"), "abcdef");
        TransactionalFileInputStream in = new TransactionalFileInputStream(file.toString());

        assertEquals('a', in.read());
        in.setMigrated(true);
        assertTrue(in.getMigrated());
        assertEquals('b', in.read());
        in.closeStream();
        in.setMigrated(false);
        assertFalse(in.getMigrated());
        assertEquals("cdef", new String(in.readAllBytes(), StandardCharsets.US_ASCII));
    }

    @Test
    void closeStreamFlushesAndWritingContinuesWhereItLeftOff() throws IOException {
        Path file = dir.resolve("out.txt");
        TransactionalFileOutputStream out = new TransactionalFileOutputStream(file.toString());

        out.write('a');
        out.closeStream();
        assertEquals("a", Files.readString(file));
        out.write('b');
        out.setMigrated(true);
        assertEquals("ab", Files.readString(file));
        out.write('c');
        out.close();

        assertEquals("abc", Files.readString(file));
    }

    @Test
    void fileConstructorsResolveRelativeNamesAgainstTheWorkingDirectoryAndGetFileNameIsAbsolute()
            throws IOException {
        Files.writeString(dir.resolve("in.txt"), "x");
        WorkingDirectory.bind(dir);

        TransactionalFileInputStream in = new TransactionalFileInputStream(new File("in.txt"));
        TransactionalFileOutputStream out = new TransactionalFileOutputStream(new File("out.txt"), true);

        assertEquals(dir.resolve("in.txt").toString(), in.getFileName());
        assertEquals(dir.resolve("out.txt").toString(), out.getFileName());
    }

    @Test
    void theOneArgumentOutputConstructorStartsANewFileAndAppendTrueKeepsWhatIsThere() throws IOException {
        Path file = Files.writeString(dir.resolve("out.txt"), "old\n");

        new TransactionalFileOutputStream(file.toString(), true).closeStream();
        assertEquals("old\n", Files.readString(file));
        new TransactionalFileOutputStream(new File(file.toString())).closeStream();
        assertEquals("", Files.readString(file));
    }

    @Test
    void theMigratedFlagTravelsWithASnapshot() throws Exception {
        Path file = Files.writeString(dir.resolve("in.txt"), "abc");
        TransactionalFileInputStream in = new TransactionalFileInputStream(file.toString());
        in.read();
        in.setMigrated(true);

        TransactionalFileInputStream copy = roundTrip(in);

        assertTrue(copy.getMigrated());
        assertEquals('b', copy.read());
    }

    @Test
    void aMissingInputFailsWithAnUncheckedExceptionNamingTheFile() {
        Path missing = dir.resolve("missing.txt");

        java.io.UncheckedIOException e = assertThrows(java.io.UncheckedIOException.class,
                () -> new TransactionalFileInputStream(missing.toFile()));

        assertTrue(e.getMessage().contains(missing.toString()), e.getMessage());
    }

    private static <T extends Serializable> T roundTrip(T object) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(object);
        }
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            @SuppressWarnings("unchecked")
            T copy = (T) in.readObject();
            return copy;
        }
    }
}
