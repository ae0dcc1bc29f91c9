package io.ferry.api;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The stream as a node runs it: under an {@link OutputScope} whose flush delay is too long to matter here, so what
 * is buffered stays buffered until a flush, close or snapshot. {@link OutputScopeTest} covers the delay, the scope's
 * sync and close, and the plain JVM.
 */
class TransactionalFileOutputStreamTest {
    private static final int BUFFER = TransactionalFileOutputStream.BUFFER_SIZE;

    @TempDir
    Path dir;

    @BeforeEach
    void runAsOnANode() {
        OutputScope.bind(OutputScope.open(java.time.Duration.ofHours(1)));
    }

    @AfterEach
    void unbind() {
        WorkingDirectory.bind(null);
        OutputScope.bind(null);
    }

    @Test
    void restoredStreamContinuesMidFileAndTheFileHoldsEveryByteOnce() throws IOException {
        byte[] content = TestFiles.noise(3 * BUFFER + 99, 1);
        Path file = dir.resolve("out.bin");
        TransactionalFileOutputStream out = new TransactionalFileOutputStream(file.toString());
        out.write(content, 0, 1000); // still in the stream's buffer

        TransactionalFileOutputStream restored = Snapshots.copy(out);
        restored.write(content, 1000, content.length - 1000);
        restored.close();

        assertArrayEquals(content, TestFiles.read(file));
    }

    @Test
    void takingASnapshotFlushesBufferedBytesAndRecordsTheLength() throws IOException {
        Path file = dir.resolve("out.bin");
        TransactionalFileOutputStream out = new TransactionalFileOutputStream(file.toString());
        out.write(TestFiles.noise(777, 2));
        assertEquals(0, Files.size(file), "bytes stay buffered until a flush, close or snapshot");

        TransactionalFileOutputStream restored = Snapshots.copy(out);

        assertEquals(777, Files.size(file));
        assertEquals(777, restored.offset());
    }

    @Test
    void restoredOutputTruncatesWhatACrashedCopyWroteAfterTheSnapshot() throws IOException {
        Path file = dir.resolve("out.txt");
        TransactionalFileOutputStream out = new TransactionalFileOutputStream(file.toString());
        PrintStream printer = new PrintStream(out, false, StandardCharsets.US_ASCII);
        for (int i = 0; i < 1000; i++) {
            printer.print("line " + i + "\n");
        }
        byte[] snapshot = Snapshots.take(out);

        // The original carries on and dies after writing lines 1000..1499 to the file.
        for (int i = 1000; i < 1500; i++) {
            printer.print("line " + i + "\n");
        }
        printer.flush();
        printer.close();
        assertTrue(TestFiles.read(file).length > Snapshots.<TransactionalFileOutputStream>restore(snapshot).offset());

        // Its replacement starts from the snapshot and writes lines 1000..1999.
        TransactionalFileOutputStream replacement = Snapshots.restore(snapshot);
        PrintStream again = new PrintStream(replacement, false, StandardCharsets.US_ASCII);
        for (int i = 1000; i < 2000; i++) {
            again.print("line " + i + "\n");
        }
        again.close();

        assertEquals(numberedLines(0, 2000), Files.readString(file, StandardCharsets.US_ASCII));
    }

    @Test
    void restoredOutputThatOnlyClosesStillDropsWhatTheCrashedCopyWrote() throws IOException {
        Path file = dir.resolve("out.txt");
        TransactionalFileOutputStream out = new TransactionalFileOutputStream(file.toString());
        out.write("kept\n".getBytes(StandardCharsets.US_ASCII));
        byte[] snapshot = Snapshots.take(out);
        out.write("crashed copy\n".getBytes(StandardCharsets.US_ASCII));
        out.close();

        TransactionalFileOutputStream replacement = Snapshots.restore(snapshot);
        replacement.close();

        assertEquals("kept\n", Files.readString(file));
    }

    @Test
    void aSnapshotCanBeRestoredTwiceAndEachRestoreRewritesTheSameTail() throws IOException {
        Path file = dir.resolve("out.txt");
        TransactionalFileOutputStream out = new TransactionalFileOutputStream(file.toString());
        out.write("head\n".getBytes(StandardCharsets.US_ASCII));
        byte[] snapshot = Snapshots.take(out);

        for (int attempt = 0; attempt < 3; attempt++) {
            TransactionalFileOutputStream copy = Snapshots.restore(snapshot);
            copy.write("tail\n".getBytes(StandardCharsets.US_ASCII));
            copy.close();
        }

        assertEquals("head\ntail\n", Files.readString(file));
    }

    @Test
    void restoredOutputWhoseFileGotShorterFailsWithAClearIOException() throws IOException {
        Path file = dir.resolve("out.txt");
        TransactionalFileOutputStream out = new TransactionalFileOutputStream(file.toString());
        out.write(TestFiles.noise(500, 3));
        byte[] snapshot = Snapshots.take(out);
        Files.write(file, new byte[100]); // someone else shortened it

        TransactionalFileOutputStream restored = Snapshots.restore(snapshot);
        IOException e = assertThrows(IOException.class, () -> {
            restored.write('x');
            restored.flush();
        });

        assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
        assertTrue(e.getMessage().contains("100 bytes"), e.getMessage());
        assertTrue(e.getMessage().contains("recorded 500"), e.getMessage());
        assertEquals(100, Files.size(file), "the shortened file is left as it was");
    }

    @Test
    void closeFlushesAndReleasesTheHandleOnlyAndTheNextWriteContinuesWhereItLeftOff() throws IOException {
        Path file = dir.resolve("out.bin");
        byte[] content = TestFiles.noise(2 * BUFFER + 5, 4);
        TransactionalFileOutputStream out = new TransactionalFileOutputStream(file.toString());

        out.write(content, 0, 10);
        out.close();
        assertEquals(10, Files.size(file));
        out.write(content[10]);
        out.close();
        out.close(); // closing twice is harmless
        out.write(content, 11, content.length - 11);
        out.close();

        assertArrayEquals(content, TestFiles.read(file));
        assertEquals(content.length, out.offset());
    }

    @Test
    void printStreamCloseAtEverySuspendKeepsTheStreamUsable() throws IOException {
        Path file = dir.resolve("out.txt");
        TransactionalFileOutputStream out = new TransactionalFileOutputStream(file.toString());

        for (int run = 0; run < 5; run++) { // a classic process wraps and closes in every run()
            PrintStream printer = new PrintStream(out, false, StandardCharsets.US_ASCII);
            printer.print("run " + run + "\n");
            printer.close();
            assertTrue(!printer.checkError());
        }

        assertEquals("run 0\nrun 1\nrun 2\nrun 3\nrun 4\n", Files.readString(file));
    }

    @Test
    void bulkWritesLargerThanTheBufferAndSingleBytesKeepTheirOrder() throws IOException {
        Path file = dir.resolve("out.bin");
        byte[] content = TestFiles.noise(4 * BUFFER + 3, 5);
        TransactionalFileOutputStream out = new TransactionalFileOutputStream(file.toString());

        out.write(content[0]);
        out.write(content, 1, 2 * BUFFER); // bypasses the buffer after flushing the byte before it
        out.write(content, 1 + 2 * BUFFER, 100);
        out.write(content, 101 + 2 * BUFFER, content.length - 101 - 2 * BUFFER);
        out.close();

        assertArrayEquals(content, TestFiles.read(file));
    }

    @Test
    void aNewStreamStartsAnEmptyFile() throws IOException {
        Path file = TestFiles.write(dir.resolve("out.txt"), "old content\n".getBytes(StandardCharsets.US_ASCII));

        TransactionalFileOutputStream out = new TransactionalFileOutputStream(file.toString());

        assertEquals(0, Files.size(file), "truncated at construction, before any write");
        out.write("new\n".getBytes(StandardCharsets.US_ASCII));
        out.close();
        assertEquals("new\n", Files.readString(file));
    }

    @Test
    void appendModeWritesAfterWhatIsThereAtLaunchAndRestoresToTheRightLength() throws IOException {
        Path file = TestFiles.write(dir.resolve("log.txt"), "before launch\n".getBytes(StandardCharsets.US_ASCII));

        TransactionalFileOutputStream out = new TransactionalFileOutputStream(file.toString(), true);
        assertEquals(14, out.offset());
        out.write("one\n".getBytes(StandardCharsets.US_ASCII));
        byte[] snapshot = Snapshots.take(out);
        out.write("lost\n".getBytes(StandardCharsets.US_ASCII));
        out.close();

        TransactionalFileOutputStream restored = Snapshots.restore(snapshot);
        restored.write("two\n".getBytes(StandardCharsets.US_ASCII));
        restored.close();

        assertEquals("before launch\none\ntwo\n", Files.readString(file));
    }

    @Test
    void appendModeCreatesAMissingFile() throws IOException {
        Path file = dir.resolve("new-log.txt");

        TransactionalFileOutputStream out = new TransactionalFileOutputStream(file.toString(), true);

        assertTrue(Files.exists(file));
        assertEquals(0, out.offset());
    }

    @Test
    void anOutputFileThatCannotBeCreatedFailsAtConstructionNamingTheFile() {
        Path impossible = dir.resolve("no-such-dir").resolve("out.txt");

        UncheckedIOException e = assertThrows(UncheckedIOException.class,
                () -> new TransactionalFileOutputStream(impossible.toString()));

        assertTrue(e.getMessage().contains(impossible.toString()), e.getMessage());
    }

    @Test
    void relativePathsResolveAgainstTheBoundWorkingDirectoryAndStayAbsoluteAfterwards() throws IOException {
        Path nodeA = Files.createDirectory(dir.resolve("node-a"));
        Path nodeB = Files.createDirectory(dir.resolve("node-b"));
        WorkingDirectory.bind(nodeA);
        TransactionalFileOutputStream out = new TransactionalFileOutputStream("out.txt");
        out.write("a\n".getBytes(StandardCharsets.US_ASCII));
        byte[] snapshot = Snapshots.take(out);

        WorkingDirectory.bind(nodeB);
        TransactionalFileOutputStream restored = Snapshots.restore(snapshot);
        restored.write("b\n".getBytes(StandardCharsets.US_ASCII));
        restored.close();

        assertEquals(nodeA.resolve("out.txt").toString(), restored.path());
        assertEquals("a\nb\n", Files.readString(nodeA.resolve("out.txt")));
        assertTrue(Files.notExists(nodeB.resolve("out.txt")));
    }

    @Test
    void aSnapshotWithANegativeOffsetIsRejected() throws IOException {
        TransactionalFileOutputStream out = new TransactionalFileOutputStream(dir.resolve("out.bin").toString());
        out.write(new byte[0x1234]);
        byte[] snapshot = Snapshots.take(out);
        byte[] offset = {0, 0, 0, 0, 0, 0, 0x12, 0x34};
        int at = Snapshots.indexOf(snapshot, offset);
        Arrays.fill(snapshot, at, at + offset.length, (byte) 0xff); // -1

        UncheckedIOException e = assertThrows(UncheckedIOException.class, () -> Snapshots.restore(snapshot));

        assertTrue(e.getMessage().contains("negative offset -1"), e.getMessage());
    }

    @Test
    void toStringNamesTheFileAndTheOffset() throws IOException {
        Path file = dir.resolve("out.bin");
        TransactionalFileOutputStream out = new TransactionalFileOutputStream(file.toString());
        out.write(new byte[3]);

        assertEquals("TransactionalFileOutputStream[" + file + " @ 3]", out.toString());
    }

    private static String numberedLines(int from, int to) {
        ByteArrayOutputStream text = new ByteArrayOutputStream();
        for (int i = from; i < to; i++) {
            text.writeBytes(("line " + i + "\n").getBytes(StandardCharsets.US_ASCII));
        }
        return text.toString(StandardCharsets.US_ASCII);
    }
}
