package io.ferry.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.ferry.node.ProcessRunner.Phase;
import java.util.EnumSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** A runner's phases change only along the edges of its state machine; DONE and ABANDONED are final. */
class RunnerPhaseTest {
    @Test
    void eachPhaseMovesOnlyToItsSuccessors() {
        assertThat(successors(Phase.STARTING)).containsExactlyInAnyOrder(Phase.IN_RUN, Phase.PAUSED, Phase.DONE);
        assertThat(successors(Phase.IN_RUN)).containsExactlyInAnyOrder(Phase.STOPPED, Phase.DONE,
                Phase.ABANDONED);
        assertThat(successors(Phase.STOPPED)).containsExactlyInAnyOrder(Phase.IN_RUN, Phase.PAUSED, Phase.DONE);
        assertThat(successors(Phase.PAUSED)).containsExactlyInAnyOrder(Phase.STOPPED, Phase.DONE);
        assertThat(successors(Phase.DONE)).isEmpty();
        assertThat(successors(Phase.ABANDONED)).isEmpty();
    }

    @Test
    void aRequestReplacesTheStateWholeAndTakingItKeepsTheRest() {
        ProcessRunner.State s = ProcessRunner.State.INITIAL.in(Phase.IN_RUN).pausing(true)
                .asking(ProcessRunner.Request.SUSPEND, 7);
        assertThat(s).isEqualTo(new ProcessRunner.State(Phase.IN_RUN, ProcessRunner.Request.SUSPEND, 7, 1, true));
        ProcessRunner.State again = s.asking(ProcessRunner.Request.TERMINATE, null);
        assertThat(again.token()).as("a new request gets a new token, so an old deadline passes it by").isEqualTo(2);
        assertThat(again.taken()).isEqualTo(new ProcessRunner.State(Phase.IN_RUN, null, null, 2, true));
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
