package io.ferry.worker;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A worker's warm-up plays whole sessions through a worker's own frame handling: each restores the one before's
 * snapshot, runs, is suspended and serialized, and its output is synced exactly once per run.
 */
class RehearsalTest {
    @TempDir
    Path dir;

    @Test
    void playsWholeSessionsEachFromTheLastSnapshot() throws Exception {
        byte[] last = Rehearsal.sessions(dir);

        StringBuilder expected = new StringBuilder();
        for (int i = 1; i <= Rehearsal.SESSIONS; i++) {
            expected.append("run ").append(i).append('\n');
        }
        assertThat(Files.readString(dir.resolve("out"))).isEqualTo(expected.toString());
        Object restored = new Loading(getClass().getClassLoader()).deserialize(last,
                Rehearsal.Trainee.class.getName(), getClass().getClassLoader());
        assertThat(restored).isInstanceOf(Rehearsal.Trainee.class);
        assertThat(Files.exists(dir.resolve("s"))).as("the socket is removed").isFalse();
    }
}
