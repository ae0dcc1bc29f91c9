package io.ferry.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import picocli.CommandLine.Command;

class VerbsTest {
    @Test
    void eachVerbIsNamedAsItsCommandSaysAndHelpListsThemAll() {
        Ferry.VERBS.forEach((name, type) -> assertThat(type.getAnnotation(Command.class).name()).isEqualTo(name));
        assertThat(Ferry.commandLine(null).getSubcommands().keySet()).containsExactlyElementsOf(Ferry.VERBS.keySet());
        assertThat(Ferry.commandLine(null, "ps", "--json").getSubcommands()).containsOnlyKeys("ps");
        assertThat(Ferry.commandLine(null, "frobnicate").getSubcommands()).hasSameSizeAs(Ferry.VERBS);
        assertThat(Ferry.commandLine(null, "completion").getSubcommands()).hasSameSizeAs(Ferry.VERBS);
    }
}
