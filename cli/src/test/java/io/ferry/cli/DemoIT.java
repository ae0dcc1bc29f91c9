package io.ferry.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import org.junit.jupiter.api.Test;

/** README's first command: the demo passes (once the examples include GrepProcess). */
class DemoIT {
    @Test
    void demoPassesAndPrintsItsFigures() {
        assumeTrue(grepIsBuilt(), DemoWorkload.GREP + " is not in this build");

        String out = Cli.run("demo").ok();

        assertThat(out).contains("migration", "recovery", "identical to the plain run", "Demo passed");
    }

    private static boolean grepIsBuilt() {
        try {
            Class.forName(DemoWorkload.GREP);
            return true;
        } catch (ClassNotFoundException e) {
            return false;
        }
    }
}
