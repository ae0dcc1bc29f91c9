package io.ferry.itests;

import static org.assertj.core.api.Assertions.assertThat;

import io.ferry.api.MigratableProcess;
import io.ferry.api.WorkingDirectory;
import java.io.ByteArrayOutputStream;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every Java sample in README.md and docs/ compiles against the built jars and does what the text says, so the
 * docs cannot drift from the code: a class is compiled as it stands, a fragment inside a method of a class of its
 * own, beside the page's classes.
 */
class DocSamplesTest {
    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    private static final Pattern BLOCK = Pattern.compile("```java\\n(.*?)```", Pattern.DOTALL);
    private static final Pattern CLASS = Pattern.compile("public class (\\w+)");

    @TempDir
    Path dir;

    @Test
    void readmesUpperCompilesAndUppercasesItsInputInAPlainRun() throws Exception {
        ClassLoader page = compile("README.md");
        assertUpperWorks(page);
    }

    @Test
    void processAuthorsSamplesCompileAndTheTestKitSamplePassesOnItsUpper() throws Exception {
        ClassLoader page = compile("docs/PROCESS-AUTHORS.md");
        assertUpperWorks(page);

        Files.writeString(dir.resolve("in.txt"), "probe me\n".repeat(2000));
        Method check = page.loadClass("Sample1").getMethod("check", Path.class);
        Thread.currentThread().setContextClassLoader(page);
        check.invoke(null, dir);
    }

    /** Compiles the page's Java blocks into a class directory of its own; returns a loader for them. */
    private ClassLoader compile(String page) throws Exception {
        String markdown = Files.readString(ROOT.resolve(page));
        Path sources = Files.createDirectories(dir.resolve("src-" + page.replace('/', '-')));
        Path classes = Files.createDirectories(dir.resolve("classes-" + page.replace('/', '-')));
        List<String> args = new ArrayList<>(List.of("-d", classes.toString(), "-nowarn", "-classpath",
                System.getProperty("java.class.path")));
        Matcher m = BLOCK.matcher(markdown);
        int fragments = 0;
        while (m.find()) {
            String code = m.group(1);
            Matcher c = CLASS.matcher(code);
            Path file;
            if (c.find()) {
                file = sources.resolve(c.group(1) + ".java");
                Files.writeString(file, code);
            } else {
                String name = "Sample" + (++fragments);
                file = sources.resolve(name + ".java");
                Files.writeString(file, "import io.ferry.testkit.*;\nimport java.nio.file.Path;\n\npublic class " + name
                        + " {\n    public static void check(Path dir) throws Exception {\n" + code + "    }\n}\n");
            }
            args.add(file.toString());
        }
        assertThat(args).as("Java samples in " + page).hasSizeGreaterThan(5);
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        ByteArrayOutputStream errors = new ByteArrayOutputStream();
        int rc = javac.run(null, null, errors, args.toArray(String[]::new));
        assertThat(rc).as(page + ": " + errors.toString()).isZero();
        return new URLClassLoader(new URL[] {classes.toUri().toURL()}, DocSamplesTest.class.getClassLoader());
    }

    private void assertUpperWorks(ClassLoader page) throws Exception {
        Path run = Files.createDirectories(dir.resolve("run-" + System.identityHashCode(page)));
        Files.writeString(run.resolve("in.txt"), "one\nTwo\nthree\n");
        MigratableProcess upper = (MigratableProcess) page.loadClass("Upper").getConstructor(String[].class)
                .newInstance((Object) new String[] {run.resolve("in.txt").toString(),
                        run.resolve("out.txt").toString()});
        WorkingDirectory.bind(run);
        try {
            upper.run(); // a plain run, as a user's own main: no flush in the sample, yet the file is complete
        } finally {
            WorkingDirectory.bind(null);
        }
        assertThat(Files.readString(run.resolve("out.txt")))
                .isEqualTo("one\nTwo\nthree\n".toUpperCase(Locale.ROOT).replace("\n", System.lineSeparator()));
    }
}
