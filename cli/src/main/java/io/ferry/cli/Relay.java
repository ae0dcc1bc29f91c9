package io.ferry.cli;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** The client's side of a {@link Helper}: hands it a command line and plays back what the command writes. */
final class Relay {
    /** How a command line fared: run by the helper with a status, or to be run here. */
    record Outcome(Integer status, boolean noHelper) {
        static final Outcome ABSENT = new Outcome(null, true);
        static final Outcome REFUSED = new Outcome(null, false);
    }

    private Relay() {}

    /**
     * Has the helper at {@code socket} run {@code args}: its exit status once it started them; {@link Outcome#ABSENT}
     * when no helper answers there, {@link Outcome#REFUSED} when it would not run them (both: run them here).
     */
    static Outcome run(Path socket, String[] args) {
        if (!Files.exists(socket)) {
            return Outcome.ABSENT;
        }
        SocketChannel channel;
        try {
            channel = SocketChannel.open(UnixDomainSocketAddress.of(socket));
        } catch (IOException | RuntimeException gone) {
            return Outcome.ABSENT; // killed, or stopping: its socket is left behind
        }
        try (channel) {
            DataOutputStream request = new DataOutputStream(new BufferedOutputStream(Channels.newOutputStream(channel)));
            HelperWire.write(request, new HelperWire.Request(Invocation.here(), List.of(args)));
            return new Outcome(playBack(new DataInputStream(new BufferedInputStream(Channels.newInputStream(channel))),
                    socket), false);
        } catch (IOException | RuntimeException lost) {
            return Outcome.REFUSED; // refused, or lost before it started the command: it did nothing
        }
    }

    /** Loads what a relay loads, for the class-data archive: writes a request to nowhere, and connects to no helper. */
    static void rehearse() {
        try (SocketChannel channel = SocketChannel.open(java.net.StandardProtocolFamily.UNIX)) {
            HelperWire.write(new DataOutputStream(OutputStream.nullOutputStream()),
                    new HelperWire.Request(Invocation.here(), List.of("ps")));
            channel.connect(UnixDomainSocketAddress.of(Path.of(System.getProperty("java.io.tmpdir"),
                    "ferry-no-helper-" + ProcessHandle.current().pid())));
        } catch (IOException | RuntimeException expected) {
            // no helper there
        }
    }

    /** Copies the frames to this process's standard output and error; the command's exit status. */
    private static int playBack(DataInputStream in, Path socket) throws IOException {
        byte first = in.readByte();
        if (first != HelperWire.STARTED) {
            throw new IOException("refused"); // why is in the helper's log
        }
        OutputStream out = new FileOutputStream(FileDescriptor.out);
        OutputStream err = new FileOutputStream(FileDescriptor.err);
        try {
            while (true) {
                byte kind = in.readByte();
                int value = in.readInt(); // a length, or the status of EXIT
                if (kind == HelperWire.EXIT) {
                    return value;
                }
                copy(in.readNBytes(value), kind == HelperWire.ERR ? err : out);
            }
        } catch (IOException lost) {
            // it ran the command, or some of it: running it again here could do it twice
            copy(("ferry: the helper stopped before the command ended (its log: " + Helper.log(socket)
                    + "); 'ferry ps' shows what took effect\n").getBytes(), err);
            return Ferry.FAILED;
        }
    }

    /** Writes as a PrintStream would: a closed pipe ({@code ferry ps | head -1}) is no failure of the command. */
    private static void copy(byte[] b, OutputStream to) {
        try {
            to.write(b);
        } catch (IOException closed) {
            // as in-process, the rest of the output is lost and the command goes on
        }
    }
}
