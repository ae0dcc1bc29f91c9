package io.ferry.worker;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * The frames a node agent and its worker JVM exchange over their local socket: a type byte, a length, and a payload
 * written with {@link DataOutputStream}. One request is answered before the next of the same kind is sent; what the
 * process prints travels as {@link Type#OUT} frames on the same socket, so it arrives before the reply that follows
 * it.
 */
public final class Wire {
    /** Largest payload accepted: a snapshot is bounded far below this by the node's snapshot cap. */
    static final int MAX_FRAME = 1 << 30;

    public enum Type {
        // agent -> worker
        START, RUN, SUSPEND, AWAIT_SUSPEND, SERIALIZE, SYNC, CLOSE, LEASE,
        // worker -> agent
        READY, STARTED, RAN, SUSPEND_AWAITED, SERIALIZED, SYNCED, OUT, EXITING
    }

    /** One frame as read. */
    public record Frame(Type type, byte[] payload) {
        public DataInputStream data() {
            return new DataInputStream(new java.io.ByteArrayInputStream(payload));
        }
    }

    private final DataInputStream in;
    private final DataOutputStream out;

    public Wire(InputStream in, OutputStream out) {
        this.in = new DataInputStream(new java.io.BufferedInputStream(in, 64 * 1024));
        this.out = new DataOutputStream(new java.io.BufferedOutputStream(out, 64 * 1024));
    }

    /** The next frame; throws {@link EOFException} when the other side has gone. */
    public Frame read() throws IOException {
        int type = in.readUnsignedByte();
        int length = in.readInt();
        if (type >= Type.values().length || length < 0 || length > MAX_FRAME) {
            throw new IOException("Malformed frame (type " + type + ", " + length + " bytes)");
        }
        byte[] payload = new byte[length];
        in.readFully(payload);
        return new Frame(Type.values()[type], payload);
    }

    /**
     * Sends one frame, whole, from any thread. A socket channel closes when a thread whose interrupt flag is set
     * writes to it, and process threads print (and a run() may return interrupted): the flag is set aside for the
     * write and put back after.
     */
    public void send(Type type, Payload payload) throws IOException {
        byte[] bytes = payload == null ? new byte[0] : payload.bytes();
        boolean interrupted = Thread.interrupted();
        try {
            synchronized (out) {
                out.writeByte(type.ordinal());
                out.writeInt(bytes.length);
                out.write(bytes);
                out.flush();
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    public void send(Type type) throws IOException {
        send(type, null);
    }

    /** A frame's payload under construction. */
    public static final class Payload {
        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        private final DataOutputStream data = new DataOutputStream(bytes);

        public Payload bool(boolean b) throws IOException {
            data.writeBoolean(b);
            return this;
        }

        public Payload number(long n) throws IOException {
            data.writeLong(n);
            return this;
        }

        /** A string, or null. */
        public Payload text(String s) throws IOException {
            data.writeBoolean(s != null);
            if (s != null) {
                byte[] utf8 = s.getBytes(java.nio.charset.StandardCharsets.UTF_8);
                data.writeInt(utf8.length);
                data.write(utf8);
            }
            return this;
        }

        public Payload texts(List<String> list) throws IOException {
            data.writeInt(list.size());
            for (String s : list) {
                text(s);
            }
            return this;
        }

        /** Bytes, or null. */
        public Payload blob(byte[] b) throws IOException {
            data.writeInt(b == null ? -1 : b.length);
            if (b != null) {
                data.write(b);
            }
            return this;
        }

        byte[] bytes() {
            return bytes.toByteArray();
        }
    }

    public static String text(DataInputStream in) throws IOException {
        if (!in.readBoolean()) {
            return null;
        }
        byte[] utf8 = new byte[in.readInt()];
        in.readFully(utf8);
        return new String(utf8, java.nio.charset.StandardCharsets.UTF_8);
    }

    public static List<String> texts(DataInputStream in) throws IOException {
        int n = in.readInt();
        List<String> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            out.add(text(in));
        }
        return out;
    }

    public static byte[] blob(DataInputStream in) throws IOException {
        int n = in.readInt();
        if (n < 0) {
            return null;
        }
        byte[] b = new byte[n];
        in.readFully(b);
        return b;
    }

    public static Payload payload() {
        return new Payload();
    }
}
