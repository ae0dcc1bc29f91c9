package io.ferry.cli.bench;

import java.util.List;

/** One benchmark of issue 6: runs on a local cluster it starts itself and reports lines compared with a floor. */
public interface Scenario {
    String name();

    List<BenchResult> run(Sizes sizes) throws Exception;
}
