package io.ferry.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * README's five-minute tour, walked as written: each command of its second terminal is run by bash in the local
 * cluster's work directory with bin/ on the PATH, in order, and prints the lines README shows under it (times,
 * numbers and the host name aside), so the tour cannot drift from what a user sees.
 */
class ReadmeTourIT {
    /** One {@code $} line of the tour and the output shown under it. */
    record Step(String command, List<String> shown) {}

    @Test
    void theTourDoesWhatReadmeShows(@TempDir Path dir) throws Exception {
        List<Step> steps = tour(Files.readString(Cli.BIN.getParent().getParent().resolve("README.md")));
        assertThat(steps).extracting(Step::command).contains("ferry migrate p-1", "ferry wait p-1");
        String host = InetAddress.getLocalHost().getHostName();
        try (LocalFerry local = LocalFerry.start(dir)) {
            Map<String, String> env = Map.of("FERRY_ZK", local.zk(),
                    "PATH", Cli.BIN.getParent() + java.io.File.pathSeparator + System.getenv("PATH"));
            for (Step step : steps) {
                if (step.command().startsWith("cd ")) {
                    continue; // the test's shell already works there, with bin/ on its PATH
                }
                Cli.Result r = Cli.exec(Path.of("/bin/bash"), null, List.of("-c", "cd '" + dir + "' && "
                        + step.command()), env);
                assertThat(r.exit()).as("%s: %s", step.command(), r.err()).isZero();
                List<String> printed = r.out().lines().map(l -> shape(l.replace(host, "box"))).toList();
                for (String line : step.shown()) {
                    assertThat(printed).as("what '%s' printed", step.command()).contains(shape(line));
                }
                boolean starts = step.command().startsWith("ferry launch") || step.command().startsWith("ferry migrate")
                        || step.command().startsWith("ferry resume");
                if (starts) {
                    // a person reads what it printed and types on: by the next command the new generation has done
                    // a second's work (10 lines, and a line in its log), as the logs README shows say
                    int before = lines(dir.resolve("numbered.txt"));
                    org.awaitility.Awaitility.await().atMost(Cli.TIMEOUT)
                            .until(() -> lines(dir.resolve("numbered.txt")) >= before + 10);
                }
            }
        }
    }

    private static int lines(Path file) throws java.io.IOException {
        return Files.exists(file) ? Files.readAllLines(file).size() : 0;
    }

    /** The steps of the tour's second block (the first starts the cluster, which the test does itself). */
    static List<Step> tour(String readme) {
        String section = readme.substring(readme.indexOf("## A five-minute tour"));
        section = section.substring(0, section.indexOf("\n## ", 1));
        String[] blocks = section.split("```");
        List<Step> steps = new ArrayList<>();
        for (String line : blocks[3].strip().split("\n")) {
            if (line.startsWith("$ ")) {
                steps.add(new Step(line.substring(2).replaceAll("\\s+#.*", "").strip(), new ArrayList<>()));
            } else if (!line.isBlank() && !line.equals("...")) {
                steps.get(steps.size() - 1).shown().add(line);
            }
        }
        return steps;
    }

    /** A line with its durations, numbers and runs of spaces made alike: what may differ from run to run. */
    static String shape(String line) {
        return line.replaceAll("(\\d+(\\.\\d+)?(ms|h|m|s))+", "T").replaceAll("\\d+", "N").replaceAll("\\s+", " ")
                .strip();
    }
}
