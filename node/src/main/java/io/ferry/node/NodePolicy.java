package io.ferry.node;

import io.ferry.coordination.FerrySettings;
import io.ferry.coordination.SnapshotKey;
import java.nio.file.Path;

/**
 * What a node trusts: whose snapshots it restores.
 *
 * @param snapshotKey the cluster's key, which every snapshot this node stores is signed with and every one it
 *     restores must verify under; null for an unsecured cluster (CRC only)
 */
public record NodePolicy(SnapshotKey snapshotKey) {
    /** An unsecured cluster's: any snapshot that passes its CRC. */
    public static final NodePolicy OPEN = new NodePolicy(null);

    /** @throws io.ferry.coordination.FerryException when a file the settings name cannot be used */
    public static NodePolicy from(FerrySettings settings) {
        String keyFile = settings.get(SnapshotKey.FILE, "").trim();
        return new NodePolicy(keyFile.isEmpty() ? null : SnapshotKey.read(Path.of(keyFile)));
    }
}
