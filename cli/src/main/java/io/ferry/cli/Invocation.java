package io.ferry.cli;

import java.nio.file.Path;
import java.util.Map;

/**
 * Where a command line was typed: the environment its settings are read with ({@code FERRY_ZK}, {@code FERRY_CONF})
 * and the directory its relative paths mean. This JVM's own, or those of the command a {@link Helper} runs for a
 * client.
 */
record Invocation(Map<String, String> env, Path dir) {
    Invocation {
        env = Map.copyOf(env);
        dir = dir.toAbsolutePath().normalize();
    }

    /** This JVM's environment and working directory. */
    static Invocation here() {
        return new Invocation(System.getenv(), Path.of(""));
    }

    /** {@code path} as the person who typed it meant it. */
    Path resolve(String path) {
        return dir.resolve(path).normalize();
    }
}
