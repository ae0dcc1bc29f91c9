package io.ferry.coordination;

import java.util.Objects;

/** The content of {@code /processes/{pid}}: the launch spec and what is wanted now. Written by clients only. */
public record ProcessRecord(int v, String pid, ProcessSpec spec, Desired desired, long createdAt) {
    public static final int FORMAT = 1;

    public ProcessRecord {
        Names.checkPid(pid);
        Objects.requireNonNull(spec, "spec");
        Objects.requireNonNull(desired, "desired");
    }

    public ProcessRecord withDesired(Desired desired) {
        return new ProcessRecord(v, pid, spec, desired, createdAt);
    }
}
