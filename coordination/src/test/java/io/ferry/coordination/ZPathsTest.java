package io.ferry.coordination;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** Pid-keyed znodes live in buckets of 1,000 consecutive pids; a path names its pid only at the pid's own depth. */
class ZPathsTest {
    @Test
    void aPidIsInTheBucketOfItsThousand() {
        assertThat(ZPaths.process("p-0")).isEqualTo("/processes/b-0/p-0");
        assertThat(ZPaths.status("p-999")).isEqualTo("/status/b-0/p-999");
        assertThat(ZPaths.snapshot("p-1000")).isEqualTo("/snapshots/b-1/p-1000");
        assertThat(ZPaths.logs("p-123456789012")).isEqualTo("/logs/b-123456789/p-123456789012");
        assertThat(ZPaths.snapshotChunks("p-1234", 3)).isEqualTo("/snapshots/b-1/p-1234/s-3");
        assertThatThrownBy(() -> ZPaths.status("p-1/../../x")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void pidOfNamesThePidOnlyForItsOwnZnode() {
        assertThat(ZPaths.pidOf(ZPaths.STATUS, "/status/b-1/p-1234")).isEqualTo("p-1234");
        assertThat(ZPaths.pidOf(ZPaths.STATUS, "/status/b-1")).isNull();
        assertThat(ZPaths.pidOf(ZPaths.STATUS, "/status")).isNull();
        assertThat(ZPaths.pidOf(ZPaths.SNAPSHOTS, "/snapshots/b-1/p-1234/s-3-1")).isNull();
        assertThat(ZPaths.pidOf(ZPaths.STATUS, "/statusx/b-1/p-1234")).isNull();
        assertThat(ZPaths.pidOf(ZPaths.PROCESSES, "/processes/b-1/junk")).isNull();
    }
}
