package io.ferry.worker;

import java.util.List;

/**
 * What a copy of a process is built from: its class and args, the classpath entries it adds (relative ones resolve
 * against the working directory), the working directory its relative file names resolve against, and the roots its
 * files are confined to besides that directory (null: anywhere; see {@link io.ferry.api.WorkingDirectory}).
 */
public record Launch(String name, String className, List<String> args, List<String> classpath, String workdir,
        List<String> fileRoots) {
    public Launch {
        args = List.copyOf(args);
        classpath = List.copyOf(classpath);
        fileRoots = fileRoots == null ? null : List.copyOf(fileRoots);
    }

    /** Files anywhere. */
    public Launch(String name, String className, List<String> args, List<String> classpath, String workdir) {
        this(name, className, args, classpath, workdir, null);
    }

    /** The roots as paths, or null. */
    List<java.nio.file.Path> fileRootPaths() {
        return fileRoots == null ? null : fileRoots.stream().map(java.nio.file.Path::of).toList();
    }
}
