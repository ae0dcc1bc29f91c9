package io.ferry.cli;

import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/** Tests that drive one {@code ferry local}, started once for the whole class and stopped after it. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class AgainstLocalCluster {
    LocalFerry local;

    @BeforeAll
    void startCluster(@TempDir Path dir) throws IOException {
        local = LocalFerry.start(dir);
    }

    @AfterAll
    void stopCluster() {
        if (local != null) {
            local.close();
        }
    }
}
