package io.ferry.coordination;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.test.TestingServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A cluster records the layout it was written in; a cluster of another layout is refused, never misread. */
class LayoutVersionTest {
    TestingServer zk;
    FerrySettings settings;

    @BeforeEach
    void start() throws Exception {
        zk = new TestingServer(true);
        settings = FerrySettings.defaults().with(FerrySettings.CONNECT, zk.getConnectString());
    }

    @AfterEach
    void stop() throws Exception {
        zk.close();
    }

    @Test
    void aNewClusterIsStampedWithThisLayoutAndAnOlderUnstampedOneIsStampedToo() throws Exception {
        try (CuratorFramework c = Zk.connect(settings, Duration.ofSeconds(20))) {
            assertThat(new String(c.getData().forPath(ZPaths.LAYOUT), StandardCharsets.UTF_8)).isEqualTo("{\"v\":1}");
            c.delete().forPath(ZPaths.LAYOUT); // as a cluster written before layouts were recorded
        }
        try (CuratorFramework again = Zk.connect(settings, Duration.ofSeconds(20))) {
            assertThat(again.checkExists().forPath(ZPaths.LAYOUT)).isNotNull();
        }
    }

    @Test
    void aClusterOfAnotherLayoutIsRefusedNamingBothVersions() throws Exception {
        try (CuratorFramework c = Zk.connect(settings, Duration.ofSeconds(20))) {
            c.setData().forPath(ZPaths.LAYOUT, "{\"v\":2}".getBytes(StandardCharsets.UTF_8));
        }

        assertThatThrownBy(() -> Zk.connect(settings, Duration.ofSeconds(20))).isInstanceOf(FerryException.class)
                .hasMessage("The cluster in ZooKeeper under namespace 'ferry' has layout version 2; this Ferry reads"
                        + " layout 1: use the Ferry release that wrote it, or another ferry.zk.namespace");
    }
}
