package io.ferry.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class ShellCommandTest {
    @Test
    void originalLettersBecomeVerbs() {
        assertThat(ShellCommand.translate(List.of("L", "GrepProcess", "x", "in.txt", "out.txt")))
                .containsExactly("launch", "GrepProcess", "x", "in.txt", "out.txt");
        assertThat(ShellCommand.translate(List.of("S", "p-3"))).containsExactly("suspend", "p-3");
        assertThat(ShellCommand.translate(List.of("T", "p-3"))).containsExactly("terminate", "p-3");
        assertThat(ShellCommand.translate(List.of("R", "p-3"))).containsExactly("resume", "p-3");
    }

    @Test
    void aNodeAfterThePidOfResumeOrMigrateIsTheTarget() {
        assertThat(ShellCommand.translate(List.of("R", "p-3", "node-2")))
                .containsExactly("resume", "p-3", "--to", "node-2");
        assertThat(ShellCommand.translate(List.of("m", "p-3", "node-1")))
                .containsExactly("migrate", "p-3", "--to", "node-1");
        assertThat(ShellCommand.translate(List.of("migrate", "p-3", "--no-wait")))
                .containsExactly("migrate", "p-3", "--no-wait");
    }

    @Test
    void fullVerbsPassThroughAndOthersAreRefused() {
        assertThat(ShellCommand.translate(List.of("ps", "--all"))).containsExactly("ps", "--all");
        assertThat(ShellCommand.translate(List.of("describe", "p-1"))).containsExactly("describe", "p-1");
        assertThat(ShellCommand.translate(List.of("local"))).isNull();
        assertThat(ShellCommand.translate(List.of("frobnicate"))).isNull();
    }

    @Test
    void quotesKeepBlanksInsideAWord() {
        assertThat(ShellCommand.words("  L GrepProcess 'two words' \"in file.txt\" out.txt "))
                .containsExactly("L", "GrepProcess", "two words", "in file.txt", "out.txt");
        assertThat(ShellCommand.words("   ")).isEmpty();
        assertThat(ShellCommand.words("x ''")).containsExactly("x", "");
    }
}
