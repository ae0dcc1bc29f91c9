package io.ferry.cli.bench;

import java.util.List;

/** The floor: one ZooKeeper {@code setData} round trip on the benchmark's own server. */
final class ZkScenario implements Scenario {
    static final String FLOOR = "zk setData";

    @Override
    public String name() {
        return "zk";
    }

    @Override
    public List<BenchResult> run(Sizes sizes) throws Exception {
        try (BenchCluster c = BenchCluster.start(1, 1, sizes.sessionTimeout())) {
            Stats floor = c.zkRoundTrip(sizes.runsOr(sizes.zkRuns()));
            return List.of(BenchResult.of(name(), "setData", floor, FLOOR, floor)
                    .with("min_ms", floor.minMs()).with("max_ms", floor.maxMs()));
        }
    }
}
