package io.ferry.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.ferry.api.OutputScope;
import io.ferry.api.WorkingDirectory;
import io.ferry.coordination.FerryThreads;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Ferry's executors make their threads lazily, often from a process's own thread (a log shipper first used when a
 * process prints). Such threads must inherit none of that process's bindings: its log, its working directory, its
 * output scope.
 */
class FerryThreadsTest {
    @TempDir
    Path processDir;

    @AfterEach
    void unbind() {
        ProcessOutput.bind(null);
        WorkingDirectory.bind(null);
        OutputScope.bind(null);
    }

    @Test
    void anExecutorThreadFirstUsedFromAProcessThreadCarriesNoneOfItsBindings() throws Exception {
        ProcessLog log = new ProcessLog(null, "p-1", Runnable::run, null);
        ProcessOutput.bind(log);
        WorkingDirectory.bind(processDir);
        OutputScope.bind(OutputScope.open(Duration.ofSeconds(1)));
        ExecutorService shipper = Executors.newSingleThreadExecutor(r -> FerryThreads.daemon(r, "ferry-test-logs"));
        AtomicReference<String> seen = new AtomicReference<>();
        try {
            shipper.submit(() -> seen.set("log=" + ProcessOutput.bound() + " dir=" + WorkingDirectory.current()
                    + " context=" + Thread.currentThread().getContextClassLoader())).get(10, TimeUnit.SECONDS);
        } finally {
            shipper.shutdownNow();
        }

        assertThat(seen.get()).isEqualTo("log=null dir=" + Paths.get("").toAbsolutePath() + " context="
                + FerryThreads.class.getClassLoader());
    }
}
