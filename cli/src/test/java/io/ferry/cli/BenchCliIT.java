package io.ferry.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.ferry.coordination.Json;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@code ferry bench cli} through the built bin/ferry: each verb's figures (through the helper, and {@code ps} in a JVM
 * of its own) next to the JVM's bare start.
 */
class BenchCliIT {
    @Test
    void timesPsNodesAndDescribeAgainstTheBareJvm() {
        String out = Cli.run("bench", "cli", "--scale", "tiny", "--json").ok();

        List<JsonNode> lines = out.lines().map(l -> Json.read("stdout", l.getBytes(), JsonNode.class)).toList();
        assertThat(lines).extracting(l -> l.get("case").asText()).containsExactly("ps", "nodes", "describe", "ps, own JVM");
        for (JsonNode l : lines) {
            assertThat(l.get("floor").asText()).isEqualTo("java -version");
            assertThat(l.get("runs").asInt()).isEqualTo(3);
            assertThat(l.get("p50_ms").asDouble()).isGreaterThan(l.get("floor_p50_ms").asDouble());
            assertThat(l.get("own_jvm_p50_ms").asDouble()).isPositive();
            assertThat(l.get("jvm_defaults_p50_ms").asDouble()).isPositive();
            assertThat(l.get("target").asText()).isEqualTo("p50 under 300 ms");
        }
    }
}
