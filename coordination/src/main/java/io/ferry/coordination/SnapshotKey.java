package io.ferry.coordination;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The cluster's snapshot key: an HMAC-SHA256 over a snapshot's metadata and every byte of it, so that a snapshot
 * written by anyone without the key (which only nodes read) is refused before one byte of it is deserialized. A
 * CRC catches accidents; this catches forgeries.
 */
public final class SnapshotKey {
    /** The setting that names the key file; without it snapshots are unsigned and checked by CRC only. */
    public static final String FILE = "ferry.snapshot.keyFile";

    private static final String ALGORITHM = "HmacSHA256";
    private static final int BYTES = 32;
    private final SecretKeySpec key;

    private SnapshotKey(byte[] bytes) {
        this.key = new SecretKeySpec(bytes, ALGORITHM);
    }

    /** A fresh random key. */
    public static SnapshotKey generate() {
        byte[] bytes = new byte[BYTES];
        new SecureRandom().nextBytes(bytes);
        return new SnapshotKey(bytes);
    }

    /**
     * Reads a key file (its key in base64 on one line).
     *
     * @throws FerryException naming the file and what is wrong with it: missing, readable by others, or not a key
     */
    public static SnapshotKey read(Path file) {
        String text = Secrets.read(file, FILE);
        byte[] bytes;
        try {
            bytes = Base64.getDecoder().decode(text);
        } catch (IllegalArgumentException e) {
            throw new FerryException("Snapshot key file " + file + " is not base64 (write one with 'ferry secure"
                    + " init')");
        }
        if (bytes.length < BYTES) {
            throw new FerryException("Snapshot key file " + file + " holds " + bytes.length + " bytes; a key has "
                    + BYTES + " (write one with 'ferry secure init')");
        }
        return new SnapshotKey(bytes);
    }

    /** Writes this key to {@code file}, readable by its owner only. */
    public void write(Path file) throws IOException {
        Secrets.write(file, Base64.getEncoder().encodeToString(key.getEncoded()));
    }

    /** The MAC of a snapshot: its metadata (every field but the MAC) and its bytes, in base64. */
    public String sign(SnapshotMeta meta, byte[] bytes) {
        return Base64.getEncoder().encodeToString(mac(meta, bytes));
    }

    /** Whether {@code meta} carries the MAC of itself and {@code bytes} under this key (in constant time). */
    public boolean verifies(SnapshotMeta meta, byte[] bytes) {
        if (meta.mac() == null) {
            return false;
        }
        byte[] claimed;
        try {
            claimed = Base64.getDecoder().decode(meta.mac());
        } catch (IllegalArgumentException e) {
            return false;
        }
        return MessageDigest.isEqual(claimed, mac(meta, bytes));
    }

    private byte[] mac(SnapshotMeta meta, byte[] bytes) {
        try {
            Mac mac = Mac.getInstance(ALGORITHM);
            mac.init(key);
            mac.update(describe(meta));
            mac.update(bytes);
            return mac.doFinal();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
    }

    /** The metadata's fields, unambiguously encoded (lengths before strings). */
    private static byte[] describe(SnapshotMeta m) {
        ByteArrayOutputStream buffer = new ByteArrayOutputStream(256);
        try (DataOutputStream out = new DataOutputStream(buffer)) {
            out.writeInt(m.v());
            out.writeUTF(m.pid());
            out.writeLong(m.seq());
            out.writeLong(m.generation());
            out.writeUTF(String.valueOf(m.className()));
            out.writeLong(m.size());
            out.writeInt(m.chunks());
            out.writeLong(m.crc32c());
            out.writeLong(m.createdAt());
            out.writeUTF(String.valueOf(m.node()));
        } catch (IOException impossible) {
            throw new java.io.UncheckedIOException(impossible);
        }
        return buffer.toByteArray();
    }
}
