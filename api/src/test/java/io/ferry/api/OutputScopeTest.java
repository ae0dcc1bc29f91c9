package io.ferry.api;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.DataOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a process that never flushes or closes its output can rely on, on a node and in a plain JVM. */
class OutputScopeTest {
    @TempDir
    Path dir;

    @AfterEach
    void unbind() {
        OutputScope.bind(null);
    }

    @Test
    void inAPlainJvmEveryWriteIsInTheFileAtOnceAsWithTheClassicStreams() throws IOException {
        Path file = dir.resolve("out.txt");
        TransactionalFileOutputStream out = new TransactionalFileOutputStream(file.toString());
        PrintStream printer = new PrintStream(out); // never flushed, never closed
        DataOutputStream data = new DataOutputStream(out);

        printer.print("a line\n");
        assertEquals("a line\n", Files.readString(file));
        data.writeChar('x');
        out.write('!');
        assertEquals("a line\n\0x!", Files.readString(file, StandardCharsets.ISO_8859_1));
    }

    @Test
    void onANodeWrittenBytesReachTheFileWithinTheFlushDelayWithoutAFlush() throws IOException {
        OutputScope.bind(OutputScope.open(Duration.ofMillis(200)));
        Path file = dir.resolve("out.txt");
        PrintStream printer = new PrintStream(new TransactionalFileOutputStream(file.toString()));

        printer.print("first\n");
        await().atMost(Duration.ofSeconds(2)).until(() -> Files.size(file) == 6);
        printer.print("second\n");
        await().atMost(Duration.ofSeconds(2)).until(() -> Files.readString(file).equals("first\nsecond\n"));
    }

    @Test
    void syncWritesEveryStreamOfTheScopeWhereverItIsHeldEvenOnesNoLongerReferenced() throws IOException {
        OutputScope scope = OutputScope.open(Duration.ofHours(1));
        OutputScope.bind(scope);
        List<Path> files = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            Path file = dir.resolve("out-" + i + ".txt");
            files.add(file);
            new PrintStream(new TransactionalFileOutputStream(file.toString())).print("stream " + i + "\n");
        }
        System.gc(); // the streams above are garbage but for the scope: their bytes must not go with them
        for (Path file : files) {
            assertEquals(0, Files.size(file), "still buffered: the delay is an hour");
        }

        scope.sync();

        for (int i = 0; i < files.size(); i++) {
            assertEquals("stream " + i + "\n", Files.readString(files.get(i)));
        }
    }

    @Test
    void aClosedScopeDropsWhatIsBufferedAndItsStreamsRefuseToWriteNamingTheFile() throws IOException {
        OutputScope scope = OutputScope.open(Duration.ofHours(1));
        OutputScope.bind(scope);
        Path file = dir.resolve("out.txt");
        TransactionalFileOutputStream out = new TransactionalFileOutputStream(file.toString());
        out.write("kept\n".getBytes(StandardCharsets.US_ASCII));
        scope.sync();
        out.write("buffered when the copy was moved\n".getBytes(StandardCharsets.US_ASCII));

        scope.close();

        IOException refused = assertThrows(IOException.class, () -> {
            out.write(new byte[TransactionalFileOutputStream.BUFFER_SIZE]);
        });
        assertTrue(refused.getMessage().contains(file.toString()), refused.getMessage());
        assertThrows(IOException.class, () -> {
            out.write('x');
            out.flush();
        });
        assertEquals("kept\n", Files.readString(file));
    }

    @Test
    void aStreamRestoredUnderAScopeBelongsToItAndStillTruncatesToItsSnapshot() throws IOException {
        Path file = dir.resolve("out.txt");
        OutputScope first = OutputScope.open(Duration.ofHours(1));
        OutputScope.bind(first);
        TransactionalFileOutputStream out = new TransactionalFileOutputStream(file.toString());
        out.write("one\n".getBytes(StandardCharsets.US_ASCII));
        byte[] snapshot = Snapshots.take(out);
        out.write("written by the old copy after the snapshot\n".getBytes(StandardCharsets.US_ASCII));
        out.flush();
        first.close();

        OutputScope second = OutputScope.open(Duration.ofHours(1));
        OutputScope.bind(second);
        TransactionalFileOutputStream restored = Snapshots.restore(snapshot);
        restored.write("two\n".getBytes(StandardCharsets.US_ASCII));
        second.sync();

        assertEquals("one\ntwo\n", Files.readString(file));
        assertThrows(IOException.class, () -> {
            out.write('x');
            out.flush();
        }, "the old copy stays fenced off");
    }

    @Test
    void byteWiseWritesOfAThirdOfAMegabyteAllArriveWithoutAFlush() throws IOException {
        OutputScope scope = OutputScope.open(Duration.ofMillis(100));
        OutputScope.bind(scope);
        Path file = dir.resolve("cipher.bin");
        byte[] content = TestFiles.noise(815_585, 9);
        TransactionalFileOutputStream out = new TransactionalFileOutputStream(file.toString());
        for (byte b : content) {
            out.write(b);
        }

        await().atMost(Duration.ofSeconds(2)).until(() -> Files.size(file) == content.length);
        assertArrayEquals(content, TestFiles.read(file));
    }

    @Test
    void aFlushDelayMustBePositive() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> OutputScope.open(Duration.ZERO));
        assertTrue(e.getMessage().contains("positive"), e.getMessage());
    }
}
