package io.ferry.worker;

import java.io.DataInputStream;
import java.io.IOException;
import java.time.Duration;
import java.util.List;

/**
 * A START request, the one frame with a shape of its own: which process, built how, from which snapshot (null: a
 * fresh one from its args), how often its output is flushed, and the lease the worker runs on without word from its
 * agent. Written by the agent and read by the worker here, so the two cannot drift apart.
 */
public record Start(String pid, Launch launch, Duration outputFlush, Duration lease, byte[] snapshot) {
    public Wire.Payload payload() throws IOException {
        return Wire.payload().text(pid).text(launch.name()).text(launch.className()).texts(launch.args())
                .texts(launch.classpath()).text(launch.workdir()).bool(launch.fileRoots() != null)
                .texts(launch.fileRoots() == null ? List.of() : launch.fileRoots())
                .number(outputFlush.toMillis()).number(lease.toMillis()).blob(snapshot);
    }

    static Start read(DataInputStream in) throws IOException {
        String pid = Wire.text(in);
        String name = Wire.text(in);
        String className = Wire.text(in);
        List<String> args = Wire.texts(in);
        List<String> classpath = Wire.texts(in);
        String workdir = Wire.text(in);
        boolean confined = in.readBoolean();
        List<String> roots = Wire.texts(in);
        Launch launch = new Launch(name, className, args, classpath, workdir, confined ? roots : null);
        return new Start(pid, launch, Duration.ofMillis(in.readLong()), Duration.ofMillis(in.readLong()),
                Wire.blob(in));
    }
}
