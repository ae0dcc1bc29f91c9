package io.ferry.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ferry.api.MigratableProcess;
import io.ferry.testkit.fixtures.BuffersItself;
import io.ferry.testkit.fixtures.CompletesAsSuspendIsCalled;
import io.ferry.testkit.fixtures.FirstOfItsClass;
import io.ferry.testkit.fixtures.HeaderEveryRun;
import io.ferry.testkit.fixtures.KeepsReaderInField;
import io.ferry.testkit.fixtures.NeverFlushes;
import io.ferry.testkit.fixtures.NumberLines;
import io.ferry.testkit.fixtures.SummaryOnEveryRun;
import io.ferry.testkit.fixtures.WaitsForARelease;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiFunction;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ProcessProbeTest {
    @TempDir
    Path inputs;

    @TempDir
    Path work;

    @BeforeEach
    void writeInput() throws IOException {
        StringBuilder text = new StringBuilder();
        Random random = new Random(7);
        for (int i = 0; i < 20_000; i++) {
            text.append("line ").append(i).append(' ').append(Long.toHexString(random.nextLong())).append('\n');
        }
        Files.writeString(inputs.resolve("in.txt"), text, StandardCharsets.US_ASCII);
    }

    private ProcessProbe numberLines() {
        return ProcessProbe.forClass(NumberLines.class).args("in.txt", "out.txt").inputs(inputs).cycles(12);
    }

    /**
     * A probe whose interrupted copy holds its first run() until suspended: the first suspension then lands
     * however busy the machine is, so a test may count on it. The uninterrupted copy is always made first.
     */
    private ProcessProbe holdingFirstRun(BiFunction<String[], Boolean, MigratableProcess> make) {
        AtomicInteger made = new AtomicInteger();
        return ProcessProbe.forFactory(args -> make.apply(args, made.getAndIncrement() % 2 == 1))
                .args("in.txt", "out.txt").inputs(inputs).cycles(12);
    }

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3})
    void aCorrectProcessIsMigratable(long seed) {
        ProbeReport report = holdingFirstRun(NumberLines::new).seed(seed).assertMigratable();

        assertTrue(report.suspensions() >= 1, "the first cycle suspends at once: " + report);
        assertEquals(0, report.crashes());
        assertEquals(2, report.filesCompared(), "in.txt and out.txt");
        assertTrue(report.bytesCompared() > 2 * 400_000, report.toString());
    }

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3})
    void aCorrectProcessIsCrashSafe(long seed) {
        ProbeReport report = holdingFirstRun(NumberLines::new).seed(seed).assertCrashSafe();

        assertTrue(report.suspensions() >= 1, report.toString());
        assertEquals(report.suspensions(), report.crashes(), "every snapshot is restored after a crashed copy");
    }

    @Test
    void theStaticConvenienceMethodRunsTheSameCheck() {
        ProbeReport report = ProcessProbe.assertMigratable(NumberLines.class, new String[] {"in.txt", "out.txt"},
                inputs, 10, 5);

        assertEquals(2, report.filesCompared());
    }

    @Test
    void aProcessNamedAtRunTimeIsFoundOnTheClasspath() {
        ProbeReport report = ProcessProbe.forClassName(NumberLines.class.getName())
                .args("in.txt", "out.txt").inputs(inputs).assertMigratable();

        assertEquals(2, report.filesCompared());
    }

    @Test
    void aFactoryMadeProcessIsProbedToo() {
        AtomicInteger made = new AtomicInteger();

        ProbeReport report = ProcessProbe.forFactory(args -> {
            made.incrementAndGet();
            return new NumberLines(args);
        }).args("in.txt", "out.txt").inputs(inputs).cycles(5).assertCrashSafe();

        assertEquals(2, made.get(), "once per sandbox; restores deserialize");
        assertEquals(2, report.filesCompared());
    }

    @Test
    void eachRunLoadsTheProcessClassAfreshSoStaticStateIsNotShared() {
        ProcessProbe.forClass(FirstOfItsClass.class).args("out.txt").cycles(2).assertMigratable();
        ProcessProbe.forClass(FirstOfItsClass.class).args("out.txt").cycles(2).assertCrashSafe();
    }

    @Test
    void outputThatDependsOnWhereTheProcessWasSuspendedIsReportedWithFileAndOffset() {
        AssertionError e = assertThrows(AssertionError.class,
                () -> holdingFirstRun(HeaderEveryRun::new).cycles(3).seed(9).assertMigratable());

        String message = e.getMessage();
        assertTrue(message.startsWith("ProcessProbe: a factory's process in.txt out.txt ("), message);
        assertTrue(message.contains("seed 9"), message);
        assertTrue(message.contains("out.txt first differs at byte "), message);
        assertTrue(message.contains("uninterrupted: "), message);
        assertTrue(message.contains("cycle 1: suspend() immediately after the start"), message);
        assertTrue(message.contains("Sandboxes kept in "), message);
    }

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3})
    void aProcessThatNeverFlushesIsJudgedAsANodeRunsItAndPasses(long seed) throws IOException {
        ProbeReport report = ProcessProbe.forClass(NeverFlushes.class).args("in.txt", "out.txt").inputs(inputs)
                .cycles(12).seed(seed).assertCrashSafe();

        assertTrue(report.bytesCompared() >= Files.size(inputs.resolve("in.txt")) - 1, report.toString());
    }

    @Test
    void outputLeftInABufferOfTheProcessesOwnIsReportedWithWhereItWasHeld() {
        AssertionError e = assertThrows(AssertionError.class, () -> ProcessProbe.forClass(BuffersItself.class)
                .args("in.txt", "out.txt").inputs(inputs).cycles(3).assertMigratable());

        assertTrue(e.getMessage().contains("output is lost: when run() returned, BuffersItself.writer"
                + " (java.io.BufferedWriter) still held bytes that never reached the file"), e.getMessage());
    }

    @Test
    void sandboxesOfAFailedCheckAreKeptForInspection() throws IOException {
        assertThrows(AssertionError.class,
                () -> holdingFirstRun(HeaderEveryRun::new).cycles(3).workDirectory(work).assertMigratable());

        try (Stream<Path> kept = Files.list(work)) {
            Path probe = kept.findFirst().orElseThrow();
            assertTrue(Files.isRegularFile(probe.resolve("uninterrupted/out.txt")));
            assertTrue(Files.isRegularFile(probe.resolve("interrupted/out.txt")));
        }
    }

    @Test
    void aCompletedProcessThatWritesAgainWhenRunAgainIsReported() {
        AssertionError e = assertThrows(AssertionError.class, () -> ProcessProbe.forClass(SummaryOnEveryRun.class)
                .args("in.txt", "out.txt").inputs(inputs).cycles(0).assertMigratable());

        assertTrue(e.getMessage().contains("run() on a restored copy of the completed process changed its files"),
                e.getMessage());
        assertTrue(e.getMessage().contains("out.txt exists only") || e.getMessage().contains("out.txt first differs"),
                e.getMessage());
    }

    @Test
    void theRunAfterCompletionCheckCanBeTurnedOff() {
        ProcessProbe.forClass(SummaryOnEveryRun.class).args("in.txt", "out.txt").inputs(inputs).cycles(0)
                .runAfterCompletion(false).assertMigratable();
    }

    @Test
    void stateThatCannotBeSerializedIsReportedWithTheOffendingType() {
        AssertionError e = assertThrows(AssertionError.class,
                () -> holdingFirstRun(KeepsReaderInField::new).assertMigratable());

        assertTrue(e.getMessage().contains("cycle 1: the process cannot be serialized: java.io.DataInputStream is"
                + " not Serializable"), e.getMessage());
    }

    @Test
    void aProcessThatIgnoresSuspendIsReportedWithWhereItIsStuck() {
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger made = new AtomicInteger();
        try {
            AssertionError e = assertThrows(AssertionError.class, () -> ProcessProbe
                    .forFactory(args -> new WaitsForARelease(made.getAndIncrement() == 0 ? new CountDownLatch(0) : release))
                    .suspendTimeout(Duration.ofMillis(200)).assertMigratable());

            assertTrue(e.getMessage().contains("run() did not return within PT0.2S of suspend()"), e.getMessage());
            assertTrue(e.getMessage().contains("WaitsForARelease.run"), e.getMessage());
        } finally {
            release.countDown();
        }
    }

    @Test
    void aProcessThatCompletedAsSuspendWasCalledPassesWhenItsFilesAreComplete() {
        AtomicInteger made = new AtomicInteger();

        ProbeReport report = ProcessProbe
                .forFactory(args -> new CompletesAsSuspendIsCalled(args, made.getAndIncrement() == 1, true))
                .args("out.txt").suspendTimeout(Duration.ofMillis(200)).assertMigratable();

        assertEquals(0, report.suspensions());
    }

    @Test
    void aSuspendThatNeverReturnsWhileTheFilesAreIncompleteIsReported() {
        AtomicInteger made = new AtomicInteger();

        AssertionError e = assertThrows(AssertionError.class, () -> ProcessProbe
                .forFactory(args -> new CompletesAsSuspendIsCalled(args, made.getAndIncrement() == 1, false))
                .args("out.txt").suspendTimeout(Duration.ofMillis(200)).assertMigratable());

        assertTrue(e.getMessage().contains("cycle 1: run() returned but suspend() did not return within PT0.2S; if"
                + " suspend() waits for run() to clear a flag, run() must clear it before returning."), e.getMessage());
        assertTrue(e.getMessage().contains("out.txt first differs at byte 0"), e.getMessage());
    }

    @Test
    void constructorFailuresAreReportedWithTheirMessage() {
        AssertionError e = assertThrows(AssertionError.class,
                () -> ProcessProbe.forClass(NumberLines.class).args("only-one").assertMigratable());

        assertTrue(e.getMessage().contains("constructing the process failed: java.lang.IllegalArgumentException:"
                + " usage: NumberLines <inputFile> <outputFile>"), e.getMessage());
    }

    @Test
    void aMissingClassIsReportedByName() {
        AssertionError e = assertThrows(AssertionError.class,
                () -> ProcessProbe.forClassName("NoSuchProcess").assertMigratable());

        assertTrue(e.getMessage().contains("No class NoSuchProcess on the classpath"), e.getMessage());
    }

    @Test
    void settingsAreValidatedAtTheBoundary() {
        assertThrows(IllegalArgumentException.class, () -> numberLines().cycles(-1));
        assertThrows(IllegalArgumentException.class, () -> numberLines().maxDelay(Duration.ZERO));
        assertThrows(IllegalArgumentException.class, () -> numberLines().suspendTimeout(Duration.ofSeconds(-1)));
        assertThrows(IllegalArgumentException.class, () -> ProcessProbe.forClassName(" "));
        assertThrows(NullPointerException.class, () -> numberLines().args("a", null));
    }

    @Test
    void probesAreImmutableSoOneCanBeCheckedWithSeveralSeeds() {
        ProcessProbe base = numberLines();
        ProcessProbe seeded = base.seed(99);

        assertEquals("ProcessProbe[" + NumberLines.class.getName() + " in.txt out.txt, cycles 12, seed 1]",
                base.toString());
        assertTrue(seeded.toString().endsWith("seed 99]"));
    }
}
