package io.ferry.coordination;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Durations mean what the docs say, special values included. */
class DurationsTest {
    @Test
    void aBareZeroIsZeroTheNeverOfCheckpointIntervals() {
        assertThat(Durations.parse("0")).isZero();
        assertThat(Durations.parse(" 0 ")).isZero();
        assertThat(FerrySettings.defaults().with("ferry.node.checkpointEvery", "0")
                .duration("ferry.node.checkpointEvery", Duration.ofSeconds(30))).isZero();
    }

    @Test
    void theWrittenFormsParse() {
        assertThat(Durations.parse("250ms")).isEqualTo(Duration.ofMillis(250));
        assertThat(Durations.parse("15s")).isEqualTo(Duration.ofSeconds(15));
        assertThat(Durations.parse("2m")).isEqualTo(Duration.ofMinutes(2));
        assertThat(Durations.parse("1h")).isEqualTo(Duration.ofHours(1));
        assertThat(Durations.parse("0s")).isZero();
        assertThat(Durations.parse("PT15S")).isEqualTo(Duration.ofSeconds(15));
    }

    @Test
    void aNumberWithoutAUnitOtherThanZeroIsRefusedNamingTheForms() {
        assertThatThrownBy(() -> Durations.parse("30")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Not a duration: '30' (write e.g. 250ms, 15s, 2m or 1h)");
    }
}
