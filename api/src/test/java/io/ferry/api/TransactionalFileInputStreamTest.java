package io.ferry.api;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TransactionalFileInputStreamTest {
    private static final int BUFFER = TransactionalFileInputStream.BUFFER_SIZE;

    @TempDir
    Path dir;

    @AfterEach
    void unbind() {
        WorkingDirectory.bind(null);
    }

    @Test
    void restoredStreamContinuesMidFileWithTheSameBytes() throws IOException {
        byte[] content = TestFiles.noise(3 * BUFFER + 123, 1);
        Path file = TestFiles.write(dir.resolve("in.bin"), content);
        TransactionalFileInputStream in = new TransactionalFileInputStream(file.toString());
        byte[] head = in.readNBytes(BUFFER + 17); // mid-buffer: the stream has read ahead of the caller

        TransactionalFileInputStream restored = Snapshots.copy(in);

        assertEquals(BUFFER + 17, restored.offset());
        byte[] tail = restored.readAllBytes();
        assertArrayEquals(content, concat(head, tail));
        assertEquals(content.length, restored.offset());
    }

    @Test
    void originalAndRestoredCopyReadIndependently() throws IOException {
        byte[] content = TestFiles.noise(10_000, 2);
        Path file = TestFiles.write(dir.resolve("in.bin"), content);
        TransactionalFileInputStream in = new TransactionalFileInputStream(file.toString());
        in.readNBytes(4000);

        TransactionalFileInputStream copy = Snapshots.copy(in);
        byte[] fromOriginal = in.readAllBytes();
        byte[] fromCopy = copy.readAllBytes();

        assertArrayEquals(Arrays.copyOfRange(content, 4000, content.length), fromOriginal);
        assertArrayEquals(fromOriginal, fromCopy);
    }

    @Test
    void readLineReadsByteByByteAndTheOffsetIsExactAfterEveryLine() throws IOException {
        byte[] content = TestFiles.lines(5000);
        Path file = TestFiles.write(dir.resolve("lines.txt"), content);
        TransactionalFileInputStream in = new TransactionalFileInputStream(file.toString());
        DataInputStream lines = new DataInputStream(in);

        long expectedOffset = 0;
        for (int i = 0; i < 2500; i++) {
            String line = readLine(lines);
            expectedOffset += line.length() + 1;
            assertEquals(expectedOffset, in.offset(), "offset after line " + i);
        }

        // A process rebuilds its DataInputStream in every run(); nothing may be lost with the old wrapper.
        TransactionalFileInputStream restored = Snapshots.copy(in);
        DataInputStream rest = new DataInputStream(restored);
        assertEquals("line 2500 " + "x".repeat(2500 % 97), readLine(rest));
        int remaining = 1;
        while (readLine(rest) != null) {
            remaining++;
        }
        assertEquals(2500, remaining);
        assertEquals(content.length, restored.offset());
    }

    @Test
    void closeReleasesTheHandleOnlyAndTheNextReadContinuesAtTheSameOffset() throws IOException {
        byte[] content = TestFiles.noise(2 * BUFFER, 3);
        Path file = TestFiles.write(dir.resolve("in.bin"), content);
        TransactionalFileInputStream in = new TransactionalFileInputStream(file.toString());

        ByteArrayOutputStream seen = new ByteArrayOutputStream();
        seen.write(in.readNBytes(1000));
        in.close();
        seen.write(in.read());
        in.close();
        in.close(); // closing twice is harmless
        seen.write(in.readAllBytes());

        assertArrayEquals(content, seen.toByteArray());
    }

    @Test
    void bulkReadsLargerThanTheBufferAndSingleBytesMixWithoutLosingBytes() throws IOException {
        byte[] content = TestFiles.noise(5 * BUFFER + 7, 4);
        Path file = TestFiles.write(dir.resolve("in.bin"), content);
        TransactionalFileInputStream in = new TransactionalFileInputStream(file.toString());

        ByteArrayOutputStream seen = new ByteArrayOutputStream();
        byte[] big = new byte[2 * BUFFER];
        seen.write(in.read());
        int n = in.read(big, 0, big.length); // drains the buffered rest only
        seen.write(big, 0, n);
        n = in.read(big, 0, big.length); // bypasses the buffer
        assertEquals(big.length, n);
        seen.write(big, 0, n);
        seen.write(in.readAllBytes());

        assertArrayEquals(content, seen.toByteArray());
        assertEquals(content.length, in.offset());
        assertEquals(-1, in.read());
        assertEquals(-1, in.read(big, 0, 10));
        assertEquals(0, in.read(big, 0, 0));
    }

    @Test
    void skipMovesTheOffsetWithinAndBeyondTheBufferAndStopsAtTheEnd() throws IOException {
        byte[] content = TestFiles.noise(3 * BUFFER, 5);
        Path file = TestFiles.write(dir.resolve("in.bin"), content);
        TransactionalFileInputStream in = new TransactionalFileInputStream(file.toString());

        in.read(); // fills the buffer
        assertEquals(10, in.skip(10)); // within the buffer
        assertEquals(content[11] & 0xff, in.read());
        assertEquals(2 * BUFFER, in.skip(2 * BUFFER)); // beyond it
        assertEquals(12 + 2 * BUFFER, in.offset());
        assertEquals(content[12 + 2 * BUFFER] & 0xff, in.read());
        assertEquals(0, in.skip(0));
        assertEquals(0, in.skip(-5));

        long left = content.length - in.offset();
        assertEquals(left, in.skip(Long.MAX_VALUE));
        assertEquals(content.length, in.offset());
        assertEquals(0, in.skip(1));
        assertEquals(-1, in.read());
    }

    @Test
    void skipOnAStreamRestoredFromASnapshotStartsFromTheRestoredOffset() throws IOException {
        byte[] content = TestFiles.noise(1000, 6);
        Path file = TestFiles.write(dir.resolve("in.bin"), content);
        TransactionalFileInputStream in = new TransactionalFileInputStream(file.toString());
        in.readNBytes(100);

        TransactionalFileInputStream restored = Snapshots.copy(in);
        assertEquals(400, restored.skip(400));

        assertEquals(content[500] & 0xff, restored.read());
    }

    @Test
    void availableCountsTheBytesLeftToTheCaller() throws IOException {
        Path file = TestFiles.write(dir.resolve("in.bin"), TestFiles.noise(BUFFER + 50, 7));
        TransactionalFileInputStream in = new TransactionalFileInputStream(file.toString());

        assertEquals(BUFFER + 50, in.available());
        in.read(); // the stream now holds a full buffer, the caller has one byte
        assertEquals(BUFFER + 49, in.available());
        in.skip(BUFFER + 49);
        assertEquals(0, in.available());
    }

    @Test
    void aReaderAtTheEndOfTheFileSeesBytesAppendedLater() throws IOException {
        Path file = TestFiles.write(dir.resolve("growing.txt"), "first\n".getBytes(StandardCharsets.US_ASCII));
        TransactionalFileInputStream in = new TransactionalFileInputStream(file.toString());
        DataInputStream lines = new DataInputStream(in);
        assertEquals("first", readLine(lines));
        assertNull(readLine(lines));

        Files.write(file, "second\n".getBytes(StandardCharsets.US_ASCII), StandardOpenOption.APPEND);

        assertEquals("second", readLine(lines));
    }

    @Test
    void missingInputFileFailsAtConstructionNamingTheFile() {
        Path missing = dir.resolve("no-such-input.txt");

        UncheckedIOException e = assertThrows(UncheckedIOException.class,
                () -> new TransactionalFileInputStream(missing.toString()));

        assertInstanceOf(FileNotFoundException.class, e.getCause());
        assertTrue(e.getMessage().contains(missing.toString()), e.getMessage());
    }

    @Test
    void aDirectoryIsNotAnInputFile() {
        UncheckedIOException e = assertThrows(UncheckedIOException.class,
                () -> new TransactionalFileInputStream(dir.toString()));

        assertTrue(e.getMessage().contains(dir.toString()), e.getMessage());
    }

    @Test
    void relativePathsResolveAgainstTheBoundWorkingDirectory() throws IOException {
        Path nodeDir = Files.createDirectory(dir.resolve("node-a"));
        TestFiles.write(nodeDir.resolve("in.txt"), "hello\n".getBytes(StandardCharsets.US_ASCII));
        WorkingDirectory.bind(nodeDir);

        TransactionalFileInputStream in = new TransactionalFileInputStream("in.txt");

        assertEquals(nodeDir.resolve("in.txt").toString(), in.path());
        assertEquals("hello", readLine(new DataInputStream(in)));
    }

    @Test
    void aStreamKeepsTheAbsolutePathItWasConstructedWithUnderAnotherBinding() throws IOException {
        Path nodeA = Files.createDirectory(dir.resolve("node-a"));
        Path nodeB = Files.createDirectory(dir.resolve("node-b"));
        TestFiles.write(nodeA.resolve("in.txt"), "from a\n".getBytes(StandardCharsets.US_ASCII));
        TestFiles.write(nodeB.resolve("in.txt"), "from b\n".getBytes(StandardCharsets.US_ASCII));
        WorkingDirectory.bind(nodeA);
        TransactionalFileInputStream in = new TransactionalFileInputStream("in.txt");

        WorkingDirectory.bind(nodeB);
        TransactionalFileInputStream restored = Snapshots.copy(in);

        assertEquals("from a", readLine(new DataInputStream(restored)));
        assertEquals(nodeA.resolve("in.txt").toString(), restored.path());
    }

    @Test
    void aSnapshotWithANegativeOffsetIsRejected() throws IOException {
        Path file = TestFiles.write(dir.resolve("in.bin"), TestFiles.noise(0x1234, 8));
        TransactionalFileInputStream in = new TransactionalFileInputStream(file.toString());
        in.skip(0x1234);
        byte[] snapshot = Snapshots.take(in);
        byte[] offset = {0, 0, 0, 0, 0, 0, 0x12, 0x34};
        int at = Snapshots.indexOf(snapshot, offset);
        Arrays.fill(snapshot, at, at + offset.length, (byte) 0xff); // -1

        UncheckedIOException e = assertThrows(UncheckedIOException.class, () -> Snapshots.restore(snapshot));

        assertTrue(e.getMessage().contains("negative offset -1"), e.getMessage());
    }

    @Test
    void toStringNamesTheFileAndTheOffset() throws IOException {
        Path file = TestFiles.write(dir.resolve("in.bin"), TestFiles.noise(10, 9));
        TransactionalFileInputStream in = new TransactionalFileInputStream(file.toString());
        in.skip(3);

        assertEquals("TransactionalFileInputStream[" + file + " @ 3]", in.toString());
    }

    @SuppressWarnings("deprecation") // readLine is what classic processes use; the stream must serve it exactly
    private static String readLine(DataInputStream in) throws IOException {
        return in.readLine();
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] all = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }
}
