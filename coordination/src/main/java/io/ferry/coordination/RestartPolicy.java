package io.ferry.coordination;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/**
 * What happens when a process fails on its node (its {@code run()} throws, it cannot be started there, or its
 * output cannot be written): {@code never} leaves it FAILED; {@code on-failure:N} starts it again from its latest
 * snapshot up to N times, each after a longer delay, and leaves it FAILED after that. Written as text, the way a
 * user types it ({@code --restart on-failure:3}), in the spec and in zkCli.
 */
public record RestartPolicy(Mode mode, int attempts) {
    /** The most automatic restarts a policy may ask for. */
    public static final int MAX_ATTEMPTS = 100;
    /** How many restarts {@code on-failure} without a number makes. */
    public static final int DEFAULT_ATTEMPTS = 3;
    public static final RestartPolicy NEVER = new RestartPolicy(Mode.NEVER, 0);

    public enum Mode {
        NEVER,
        ON_FAILURE
    }

    public RestartPolicy {
        if (mode == Mode.NEVER && attempts != 0 || mode == Mode.ON_FAILURE && (attempts < 1 || attempts > MAX_ATTEMPTS)) {
            throw new IllegalArgumentException("on-failure takes 1 to " + MAX_ATTEMPTS + " restarts, got " + attempts);
        }
    }

    /** Whether a process that was restarted {@code retries} times already is started once more. */
    public boolean restartsAfter(int retries) {
        return retries < attempts;
    }

    /**
     * Reads {@code never}, {@code on-failure} or {@code on-failure:N}.
     *
     * @throws IllegalArgumentException with what is accepted
     */
    @JsonCreator
    public static RestartPolicy parse(String text) {
        String t = text == null ? "" : text.trim();
        if (t.equals("never")) {
            return NEVER;
        }
        if (t.equals("on-failure")) {
            return new RestartPolicy(Mode.ON_FAILURE, DEFAULT_ATTEMPTS);
        }
        if (t.startsWith("on-failure:")) {
            try {
                return new RestartPolicy(Mode.ON_FAILURE, Integer.parseInt(t.substring("on-failure:".length())));
            } catch (NumberFormatException e) {
                // reported below with what is accepted
            }
        }
        throw new IllegalArgumentException("Restart policy '" + Limits.cut(text) + "' is not never, on-failure or"
                + " on-failure:N (N from 1 to " + MAX_ATTEMPTS + ")");
    }

    @JsonValue
    @Override
    public String toString() {
        return mode == Mode.NEVER ? "never" : "on-failure:" + attempts;
    }
}
