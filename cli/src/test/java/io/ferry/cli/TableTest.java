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
}
