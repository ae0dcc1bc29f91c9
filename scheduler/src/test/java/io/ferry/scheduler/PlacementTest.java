package io.ferry.scheduler;

import static org.assertj.core.api.Assertions.assertThat;

import io.ferry.coordination.Desired;
import io.ferry.coordination.DesiredState;
import io.ferry.coordination.NodeInfo;
import io.ferry.coordination.ProcessSpec;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PlacementTest {
    private static final Desired ANYWHERE = new Desired(DesiredState.RUNNING, null, null, 0);

    private static NodeInfo node(String id, int slots, List<String> abandoned) {
        return new NodeInfo(NodeInfo.FORMAT, id, "host", slots, Map.of(), "test", 1L, "5e55", "/tmp", abandoned, null);
    }

    @Test
    void threadsAbandonedOnANodeHoldItsSlotsUntilTheyEnd() {
        Map<String, NodeInfo> live = Map.of("node-1", node("node-1", 2, List.of("p-1", "p-2")),
                "node-2", node("node-2", 2, List.of("p-3")));

        assertThat(Placement.choose(ProcessSpec.of("X"), ANYWHERE, live, Map.of()).map(NodeInfo::id))
                .contains("node-2");
        assertThat(Placement.choose(ProcessSpec.of("X"), ANYWHERE, live, Map.of("node-2", 1))).isEmpty();
    }
}
