package io.ferry.cli;

import java.nio.file.Path;

/** Where Ferry's own files are: the checkout or distribution that {@code bin/ferry} runs from. */
final class Home {
    private Home() {}

    /** {@code -Dferry.home} as set by {@code bin/ferry}, else the current directory. */
    static Path dir() {
        String home = System.getProperty("ferry.home");
        return (home != null && !home.isBlank() ? Path.of(home) : Path.of("")).toAbsolutePath().normalize();
    }

    /** A file in {@code conf/}. */
    static Path conf(String name) {
        return dir().resolve("conf").resolve(name);
    }

    /** The settings file: {@code $FERRY_CONF}, else {@code conf/ferry.properties}. */
    static Path properties() {
        return properties(Invocation.here());
    }

    /** The settings file of a command typed where {@code typed} says. */
    static Path properties(Invocation typed) {
        String file = typed.env().get("FERRY_CONF");
        return file != null && !file.isBlank() ? typed.resolve(file) : conf("ferry.properties");
    }
}
