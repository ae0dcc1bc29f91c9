package io.ferry.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.Charset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

@Command(name = "shell", mixinStandardHelpOptions = true,
        description = {"An interactive console in the style of the original process manager.",
            "  L <Class> [args...]  launch      S <pid>         suspend",
            "  R <pid> [node]       resume      M <pid> [node]  migrate",
            "  T <pid>              terminate   help, quit",
            "  ps, nodes, describe <pid>, wait <pid>, checkpoint <pid>",
            "Full verb names work too, with their flags ('launch --node node-2 GrepProcess ...'). It uses one"
                    + " connection for all commands, reads standard input so it can be scripted, and exits 1 if any"
                    + " command failed."})
final class ShellCommand implements Callable<Integer> {
    /** Verbs that make no sense inside a shell. */
    private static final Set<String> NOT_HERE = Set.of("shell", "local", "demo", "zk", "scheduler", "node", "zkcli",
            "completion");

    @Mixin
    ClusterOptions cluster;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        boolean interactive = System.console() != null;
        int failures = 0;
        try (Connection connection = cluster.connect()) {
            if (interactive) {
                out.println("Connected. Commands: L, S, R, T, M, ps, nodes, help, quit.");
            }
            BufferedReader in = new BufferedReader(new InputStreamReader(System.in, Charset.defaultCharset()));
            while (true) {
                if (interactive) {
                    out.print("ferry> ");
                    out.flush();
                }
                String line = in.readLine();
                if (line == null) {
                    break;
                }
                List<String> words = words(line);
                if (words.isEmpty() || words.get(0).startsWith("#")) {
                    continue;
                }
                String verb = words.get(0).toLowerCase(Locale.ROOT);
                if (verb.equals("quit") || verb.equals("exit") || verb.equals("q")) {
                    break;
                }
                if (verb.equals("help") || verb.equals("?") || verb.equals("h")) {
                    spec.commandLine().usage(out);
                    continue;
                }
                List<String> args = translate(words);
                if (args == null) {
                    err.println("ferry: unknown command '" + words.get(0) + "' (type 'help')");
                    err.flush();
                    failures++;
                    continue;
                }
                String[] argv = args.toArray(String[]::new);
                if (Ferry.commandLine(settings -> connection.borrowed(), cluster.invocation(), argv).execute(argv) != 0) {
                    failures++;
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return failures == 0 ? 0 : Ferry.FAILED;
    }

    /**
     * The {@code ferry} arguments for one shell line, or null when it names no verb: the original system's
     * letters ({@code R p-3 node-2} is {@code resume p-3 --to node-2}) and the full verb names.
     */
    static List<String> translate(List<String> words) {
        String first = words.get(0);
        List<String> rest = words.subList(1, words.size());
        String verb = switch (first.toLowerCase(Locale.ROOT)) {
            case "l", "launch" -> "launch";
            case "s", "suspend" -> "suspend";
            case "r", "resume" -> "resume";
            case "t", "terminate" -> "terminate";
            case "m", "migrate" -> "migrate";
            case "ps" -> "ps";
            case "nodes" -> "nodes";
            case "describe" -> "describe";
            case "wait" -> "wait";
            case "checkpoint" -> "checkpoint";
            default -> null;
        };
        if (verb == null || NOT_HERE.contains(verb)) {
            return null;
        }
        List<String> args = new ArrayList<>();
        args.add(verb);
        boolean movesTo = verb.equals("resume") || verb.equals("migrate");
        if (movesTo && rest.size() == 2 && !rest.get(1).startsWith("-")) {
            args.add(rest.get(0));
            args.add("--to");
            args.add(rest.get(1));
        } else {
            args.addAll(rest);
        }
        return args;
    }

    /** Splits a line into words at blanks; single or double quotes keep blanks inside a word. */
    static List<String> words(String line) {
        List<String> words = new ArrayList<>();
        StringBuilder word = null;
        char quote = 0;
        for (char ch : line.toCharArray()) {
            if (quote != 0) {
                if (ch == quote) {
                    quote = 0;
                } else {
                    word.append(ch);
                }
            } else if (ch == '\'' || ch == '"') {
                quote = ch;
                word = word == null ? new StringBuilder() : word;
            } else if (Character.isWhitespace(ch)) {
                if (word != null) {
                    words.add(word.toString());
                    word = null;
                }
            } else {
                word = word == null ? new StringBuilder() : word;
                word.append(ch);
            }
        }
        if (word != null) {
            words.add(word.toString());
        }
        return words;
    }
}
