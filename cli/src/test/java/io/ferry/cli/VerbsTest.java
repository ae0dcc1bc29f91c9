package io.ferry.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import picocli.CommandLine.Command;

class VerbsTest {
    @Test
    void eachVerbIsNamedAsItsCommandSaysAndHelpListsThemAll() {
        Ferry.VERBS.forEach((name, type) -> assertThat(type.getAnnotation(Command.class).name()).isEqualTo(name));
        assertThat(Ferry.commandLine().getSubcommands().keySet()).containsExactlyElementsOf(Ferry.VERBS.keySet());
        assertThat(Ferry.commandLine("ps", "--json").getSubcommands()).containsOnlyKeys("ps");
        assertThat(Ferry.commandLine("frobnicate").getSubcommands()).hasSameSizeAs(Ferry.VERBS);
        assertThat(Ferry.commandLine("completion").getSubcommands()).hasSameSizeAs(Ferry.VERBS);
    }
}
