package io.ferry.worker;

import java.util.List;

/**
 * What a copy of a process is built from: its class and args, the classpath entries it adds (relative ones resolve
 * against the working directory), and the working directory its relative file names resolve against.
 */
public record Launch(String name, String className, List<String> args, List<String> classpath, String workdir) {
    public Launch {
        args = List.copyOf(args);
        classpath = List.copyOf(classpath);
    }
}
