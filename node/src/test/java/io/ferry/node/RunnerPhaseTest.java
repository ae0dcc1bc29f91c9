package io.ferry.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.ferry.node.ProcessRunner.Phase;
import java.util.EnumSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** A runner's phases change only along the edges of its state machine; DONE is final. */
class RunnerPhaseTest {
    @Test
    void eachPhaseMovesOnlyToItsSuccessors() {
        assertThat(successors(Phase.STARTING)).containsExactlyInAnyOrder(Phase.IN_RUN, Phase.PAUSED, Phase.DONE);
        assertThat(successors(Phase.IN_RUN)).containsExactlyInAnyOrder(Phase.STOPPED, Phase.DONE);
        assertThat(successors(Phase.STOPPED)).containsExactlyInAnyOrder(Phase.IN_RUN, Phase.PAUSED, Phase.DONE);
        assertThat(successors(Phase.PAUSED)).containsExactlyInAnyOrder(Phase.STOPPED, Phase.DONE);
        assertThat(successors(Phase.DONE)).isEmpty();
    }

    private static Set<Phase> successors(Phase from) {
        Set<Phase> out = EnumSet.noneOf(Phase.class);
        for (Phase to : Phase.values()) {
            if (from.canMoveTo(to)) {
                out.add(to);
            }
        }
        return out;
    }
}
