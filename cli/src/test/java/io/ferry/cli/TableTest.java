package io.ferry.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

class TableTest {
    @Test
    void columnsAreAlignedAndMissingCellsPrintAsDash() {
        StringWriter text = new StringWriter();
        new Table("PID", "STATE", "NODE").row("p-1", "RUNNING", "node-1").row("p-12", "PENDING", null)
                .print(new PrintWriter(text));

        assertThat(text.toString().lines()).containsExactly(
                "PID   STATE    NODE",
                "p-1   RUNNING  node-1",
                "p-12  PENDING  -");
    }

    @Test
    void controlCharactersInACellPrintAsEscapesSoNoCellCanForgeARowOrDriveTheTerminal() {
        StringWriter text = new StringWriter();
        new Table("PID", "NAME").row("p-1", "evil\u001b[2J\nP-9  RUNNING\t\u009b\u202e").print(new PrintWriter(text));

        assertThat(text.toString().lines()).containsExactly(
                "PID  NAME",
                "p-1  evil\\x1b[2J\\nP-9  RUNNING\\t\\u009b\\u202e");
    }

    @Test
    void printableLeavesOrdinaryTextAloneIncludingAccentsAndBackslashes() {
        String plain = "grep café C:\\data 7";
        assertThat(Format.printable(plain)).isSameAs(plain);
    }
}
