package io.ferry.coordination;

/** One entry of a process's history: it entered {@code state} on {@code node} at {@code at}. */
public record Transition(ProcessState state, String node, long generation, long at, String reason) {
    public Transition {
        reason = Limits.cut(reason); // a process's exception message can be of any size
    }
}
