package io.ferry.scheduler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ferry.coordination.FerrySettings;
import io.ferry.coordination.Zk;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.test.TestingServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class EpochFencingTest {
    TestingServer zk;
    CuratorFramework oldLeader;
    CuratorFramework newLeader;

    @BeforeEach
    void start() throws Exception {
        zk = new TestingServer(true);
        FerrySettings settings = FerrySettings.defaults().with(FerrySettings.CONNECT, zk.getConnectString());
        oldLeader = Zk.connect(settings, Duration.ofSeconds(20));
        newLeader = Zk.connect(settings, Duration.ofSeconds(20));
        oldLeader.create().forPath("/probe", "before".getBytes(StandardCharsets.UTF_8));
    }

    @AfterEach
    void stop() throws Exception {
        oldLeader.close();
        newLeader.close();
        zk.close();
    }

    @Test
    void deposedLeaderCannotWrite() throws Exception {
        Epoch deposed = Epoch.take(oldLeader, "old");
        Epoch current = Epoch.take(newLeader, "new");
        assertThat(current.value()).isGreaterThan(deposed.value());

        assertThatThrownBy(() -> deposed.commit(List.of(oldLeader.transactionOp().setData()
                .forPath("/probe", "deposed".getBytes(StandardCharsets.UTF_8)))))
                .isInstanceOf(Epoch.DeposedException.class);
        assertThat(new String(newLeader.getData().forPath("/probe"), StandardCharsets.UTF_8)).isEqualTo("before");

        current.commit(List.of(newLeader.transactionOp().setData()
                .forPath("/probe", "current".getBytes(StandardCharsets.UTF_8))));
        assertThat(new String(newLeader.getData().forPath("/probe"), StandardCharsets.UTF_8)).isEqualTo("current");
    }

    @Test
    void failedOperationOfCurrentLeaderIsNotMistakenForDeposition() throws Exception {
        Epoch current = Epoch.take(newLeader, "new");
        assertThatThrownBy(() -> current.commit(List.of(newLeader.transactionOp().setData().withVersion(42)
                .forPath("/probe", new byte[0]))))
                .isInstanceOf(org.apache.zookeeper.KeeperException.BadVersionException.class);
    }
}
