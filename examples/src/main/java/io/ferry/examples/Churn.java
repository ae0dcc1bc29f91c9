package io.ferry.examples;

import io.ferry.api.MigratableProcess;
import io.ferry.api.TransactionalFileOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32;

/**
 * {@code Churn <stateBytes> <steps> <outputFile>}: a CPU-bound process whose serialized state is about
 * {@code stateBytes} bytes. It holds a byte array of that size; each step runs an xorshift generator over the
 * whole array, feeding each byte back into the generator, so every step depends on all the steps before it. Every
 * {@value #REPORT_EVERY} steps, and after the last, it writes {@code step N crc32 <8 hex digits>}: one lost or repeated
 * step changes every line after it, so the output proves the state survived each move.
 */
public class Churn implements MigratableProcess {
    private static final long serialVersionUID = 1L;
    static final String USAGE = "usage: Churn <stateBytes> <steps> <outputFile>";
    static final int REPORT_EVERY = 10;

    private final String[] args;
    private final byte[] state;
    private final long steps;
    private final TransactionalFileOutputStream out;
    private long step;
    private long generator = 0x9E3779B97F4A7C15L;
    private transient volatile boolean suspending;

    public Churn(String[] args) {
        this(args, Arguments.positiveInt(Arguments.require(args, 3, USAGE)[0], "stateBytes", USAGE),
                Arguments.positiveLong(args[1], "steps", USAGE));
    }

    private Churn(String[] args, int stateBytes, long steps) {
        this.args = args.clone();
        this.state = new byte[stateBytes];
        this.steps = steps;
        this.out = new TransactionalFileOutputStream(args[2]);
    }

    @Override
    public void run() {
        if (step == steps) {
            return;
        }
        PrintStream output = new PrintStream(out, false, StandardCharsets.US_ASCII);
        while (step < steps) {
            if (suspending) {
                suspending = false;
                break;
            }
            churn();
            step++;
            if (step % REPORT_EVERY == 0 || step == steps) {
                output.print("step " + step + " crc32 " + String.format("%08x", checksum()) + "\n");
            }
        }
        Streams.release(output, out, null);
    }

    private void churn() {
        long x = generator;
        byte[] bytes = state;
        for (int i = 0; i < bytes.length; i++) {
            x += bytes[i];
            x ^= x << 13;
            x ^= x >>> 7;
            x ^= x << 17;
            bytes[i] = (byte) x;
        }
        generator = x;
    }

    private long checksum() {
        CRC32 crc = new CRC32();
        crc.update(state);
        return crc.getValue();
    }

    @Override
    public void suspend() {
        suspending = true;
    }

    @Override
    public String toString() {
        return "Churn " + String.join(" ", args);
    }
}
