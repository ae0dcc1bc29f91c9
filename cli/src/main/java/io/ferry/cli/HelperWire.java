package io.ferry.cli;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a client and its {@link Helper} say on the helper's socket. The client sends one request (where it was typed,
 * and the command line); the helper answers with frames: {@link #STARTED} once it runs the command (before it, the
 * client may still run the command itself; after it, never, since the command may have done something), the
 * command's standard output and error as it writes them, and its {@link #EXIT} status; or {@link #REFUSED} instead
 * of {@code STARTED}, with the reason.
 */
final class HelperWire {
    static final int MAGIC = 0x46455259; // "FERY"
    static final int VERSION = 1;
    /** Bounds on a request, far above any command line a shell passes (Linux: 2 MiB for arguments and environment). */
    static final int MAX_STRINGS = 65_536;
    static final int MAX_BYTES = 8 << 20;

    static final byte STARTED = 'S';
    static final byte OUT = 'O';
    static final byte ERR = 'E';
    static final byte EXIT = 'X';
    static final byte REFUSED = 'R';

    private HelperWire() {}

    /** One command line, and where it was typed. */
    record Request(Invocation typed, List<String> args) {}

    static void write(DataOutputStream out, Request request) throws IOException {
        out.writeInt(MAGIC);
        out.writeInt(VERSION);
        string(out, request.typed().dir().toString());
        out.writeInt(request.typed().env().size());
        for (Map.Entry<String, String> e : request.typed().env().entrySet()) {
            string(out, e.getKey());
            string(out, e.getValue());
        }
        out.writeInt(request.args().size());
        for (String a : request.args()) {
            string(out, a);
        }
        out.flush();
    }

    /** @throws IOException when it is not a request of this version, or larger than the bounds */
    static Request read(DataInputStream in) throws IOException {
        if (in.readInt() != MAGIC || in.readInt() != VERSION) {
            throw new IOException("not a request of this version");
        }
        int[] budget = {MAX_BYTES};
        Path dir = Path.of(string(in, budget));
        int envs = count(in);
        Map<String, String> env = new LinkedHashMap<>();
        for (int i = 0; i < envs; i++) {
            env.put(string(in, budget), string(in, budget));
        }
        int n = count(in);
        List<String> args = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            args.add(string(in, budget));
        }
        return new Request(new Invocation(env, dir), args);
    }

    /** One frame of {@code kind} with {@code length} bytes of {@code b} from {@code off}. */
    static void frame(DataOutputStream out, byte kind, byte[] b, int off, int length) throws IOException {
        out.writeByte(kind);
        out.writeInt(length);
        out.write(b, off, length);
        out.flush();
    }

    /** An output stream that writes each write as frames of {@code kind}, on {@code out} (shared, so locked). */
    static OutputStream frames(DataOutputStream out, byte kind) {
        return new OutputStream() {
            @Override
            public void write(int b) throws IOException {
                write(new byte[] {(byte) b}, 0, 1);
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                synchronized (out) {
                    frame(out, kind, b, off, len);
                }
            }
        };
    }

    private static void string(DataOutputStream out, String s) throws IOException {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        out.writeInt(b.length);
        out.write(b);
    }

    private static String string(DataInputStream in, int[] budget) throws IOException {
        int length = in.readInt();
        if (length < 0 || length > budget[0]) {
            throw new IOException("request larger than " + MAX_BYTES + " bytes");
        }
        budget[0] -= length;
        return new String(in.readNBytes(length), StandardCharsets.UTF_8);
    }

    private static int count(DataInputStream in) throws IOException {
        int n = in.readInt();
        if (n < 0 || n > MAX_STRINGS) {
            throw new IOException("request with " + n + " strings");
        }
        return n;
    }
}
