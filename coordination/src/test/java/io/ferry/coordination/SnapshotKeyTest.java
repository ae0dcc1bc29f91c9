package io.ferry.coordination;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A snapshot's MAC covers every field of its metadata and every byte; key files must be private and whole. */
class SnapshotKeyTest {
    @TempDir
    Path dir;

    private static final SnapshotMeta META = new SnapshotMeta(SnapshotMeta.FORMAT, "p-7", 3, 2, "GrepProcess", 5, 1,
            42, 1_000, "node-1");
    private static final byte[] BYTES = "state".getBytes(StandardCharsets.UTF_8);

    @Test
    void verifiesWhatItSignedAndNothingElse() throws Exception {
        Path file = dir.resolve("key");
        SnapshotKey.generate().write(file);
        SnapshotKey key = SnapshotKey.read(file);
        SnapshotMeta signed = META.signedWith(key.sign(META, BYTES));

        assertThat(key.verifies(signed, BYTES)).isTrue();
        assertThat(SnapshotKey.read(file).verifies(signed, BYTES)).as("the same key read again").isTrue();
        assertThat(key.verifies(META, BYTES)).as("unsigned").isFalse();
        assertThat(key.verifies(signed, "State".getBytes(StandardCharsets.UTF_8))).as("a byte changed").isFalse();
        SnapshotMeta otherClass = new SnapshotMeta(signed.v(), signed.pid(), signed.seq(), signed.generation(),
                "CopyProcess", signed.size(), signed.chunks(), signed.crc32c(), signed.createdAt(), signed.node(),
                signed.mac());
        assertThat(key.verifies(otherClass, BYTES)).as("the class changed").isFalse();
        assertThat(SnapshotKey.generate().verifies(signed, BYTES)).as("another key").isFalse();
        assertThat(key.verifies(META.signedWith("not base64!"), BYTES)).isFalse();
    }

    @Test
    void refusesKeyFilesOthersCanReadOrThatHoldNoKey() throws Exception {
        Path open = dir.resolve("open");
        SnapshotKey.generate().write(open);
        Files.setPosixFilePermissions(open, PosixFilePermissions.fromString("rw-r--r--"));
        assertThatThrownBy(() -> SnapshotKey.read(open)).hasMessageContaining("is open to others")
                .hasMessageContaining("chmod 600 " + open);

        Path shortKey = Files.writeString(dir.resolve("short"), "c2hvcnQ=\n");
        Files.setPosixFilePermissions(shortKey, PosixFilePermissions.fromString("rw-------"));
        assertThatThrownBy(() -> SnapshotKey.read(shortKey)).hasMessageContaining("holds 5 bytes; a key has 32");

        assertThatThrownBy(() -> SnapshotKey.read(dir.resolve("missing"))).hasMessageContaining(
                "Cannot read " + dir.resolve("missing")).hasMessageContaining(SnapshotKey.FILE);
    }
}
