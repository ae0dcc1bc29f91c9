package io.ferry.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** Flags take the special values the docs and --help name. */
class DocumentedValuesTest {
    @Test
    void checkpointEveryZeroMeansNeverAsHelpSays() {
        LaunchCommand launch = new LaunchCommand();
        new CommandLine(launch).parseArgs("--checkpoint-every", "0", "GrepProcess", "a", "in.txt", "out.txt");

        assertThat(launch.checkpointEvery).isEqualTo(Duration.ZERO);
        assertThat(new CommandLine(new LaunchCommand()).getUsageMessage()).contains("0 for never");
    }
}
