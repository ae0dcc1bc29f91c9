import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ferry.testkit.ProcessProbe;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Classic, default-package processes compiled against ferry-compat alone migrate and recover unchanged. */
class ClassicProcessesTest {
    private static final String[] WORDS = {"ferry", "Migrate", "snapshot", "node", "the", "a", "ZooKeeper", "x"};

    @TempDir
    Path inputs;

    @BeforeEach
    void writeInputs() throws IOException {
        Random random = new Random(11);
        StringBuilder text = new StringBuilder();
        while (text.length() < 250_000) {
            int words = random.nextInt(10);
            for (int i = 0; i < words; i++) {
                text.append(i == 0 ? "" : " ").append(WORDS[random.nextInt(WORDS.length)]);
            }
            text.append('\n');
        }
        Files.writeString(inputs.resolve("input.txt"), text, StandardCharsets.US_ASCII);
        Files.writeString(inputs.resolve("log.txt"), "earlier run: 3 lines\n", StandardCharsets.US_ASCII);
    }

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3})
    void aBlockingSuspendProcessThatClosesItsStreamsAtEverySuspendMigrates(long seed) {
        ProcessProbe probe = ProcessProbe.forClass(GrepProcess.class).args("ferry", "input.txt", "out.txt")
                .inputs(inputs).cycles(12).seed(seed);

        probe.assertMigratable();
        probe.assertCrashSafe();
    }

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3})
    void aNonBlockingSuspendProcessAppendingToAnExistingLogMigrates(long seed) {
        ProcessProbe probe = ProcessProbe.forClass(AppendLineCount.class).args("input.txt", "log.txt")
                .inputs(inputs).cycles(12).seed(seed);

        probe.assertMigratable();
        probe.assertCrashSafe();
    }

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3})
    void aLowerCaseProcessWithOnlyANoArgumentConstructorMigrates(long seed) {
        ProcessProbe probe = ProcessProbe.forClass(rot13.class).inputs(inputs).cycles(12).seed(seed);

        probe.assertMigratable();
        probe.assertCrashSafe();
    }

    @Test
    void aClassicProcessCanBeProbedByNameFromAnyPackage() {
        ProcessProbe.forClassName("GrepProcess").args("node", "input.txt", "out.txt").inputs(inputs)
                .assertMigratable();
    }

    @Test
    void theClassicProcessesGiveTheRightAnswers() throws Exception {
        Path in = Files.writeString(inputs.resolve("small.txt"), "a ferry\nHello\nferry boat\n");
        Path grepped = inputs.resolve("grepped.txt");
        Path log = inputs.resolve("log.txt");

        new GrepProcess(new String[] {"ferry", in.toString(), grepped.toString()}).run();
        new AppendLineCount(new String[] {in.toString(), log.toString()}).run();

        assertEquals("a ferry\nferry boat\n", Files.readString(grepped));
        assertEquals("earlier run: 3 lines\nsmall.txt: 3 lines, longest 10\n", Files.readString(log));
    }

    @Test
    void aClassicConstructorThatThrowsACheckedExceptionIsReportedByTheProbe() {
        AssertionError e = assertThrows(AssertionError.class,
                () -> ProcessProbe.forClass(GrepProcess.class).args("too few").assertMigratable());

        assertTrue(e.getMessage().contains("java.lang.Exception: usage: GrepProcess <queryString> <inputFile>"
                + " <outputFile>"), e.getMessage());
    }
}
