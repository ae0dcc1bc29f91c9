package io.ferry.cli;

import io.ferry.coordination.Json;
import io.ferry.coordination.MalformedDataException;
import io.ferry.coordination.ProcessStatus;
import io.ferry.coordination.ProcessView;
import io.ferry.coordination.Transition;
import io.ferry.coordination.ZPaths;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Callable;
import org.apache.curator.framework.recipes.cache.ChildData;
import org.apache.curator.framework.recipes.cache.CuratorCache;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "events", mixinStandardHelpOptions = true,
        description = {"The cluster's transitions, oldest first: when, which process, from which state to which, on"
                + " which node and generation, and why. With --follow, then each new one as it happens (until"
                + " Ctrl-C). --json prints one JSON object per line."})
final class EventsCommand implements Callable<Integer> {
    @Mixin
    ClusterOptions cluster;

    @Mixin
    JsonOption json;

    @Spec
    CommandSpec spec;

    @Option(names = {"-f", "--follow"}, description = "Keep printing transitions as they happen")
    boolean follow;

    @Option(names = "--limit", paramLabel = "N", defaultValue = "50",
            description = "At most the last N of those recorded so far (default: ${DEFAULT-VALUE}; each process keeps"
                    + " its last " + ProcessStatus.HISTORY + ")")
    int limit;

    /** One transition of one process. */
    record Event(long at, String pid, String from, String to, String node, long generation, String reason) {}

    @Override
    public Integer call() throws InterruptedException {
        if (limit < 0 || limit > 100_000) {
            throw new IllegalArgumentException("--limit must be 0..100000, got " + limit);
        }
        PrintWriter out = spec.commandLine().getOut();
        try (Connection c = cluster.connect()) {
            Map<String, Transition> seen = new HashMap<>();
            List<Event> recorded = new ArrayList<>();
            for (ProcessView v : c.client().list()) {
                if (v.status() != null) {
                    recorded.addAll(newSince(v.status(), null));
                    seen.put(v.pid(), last(v.status()));
                }
            }
            recorded.sort(Comparator.comparingLong(Event::at));
            recorded.subList(0, Math.max(0, recorded.size() - limit)).clear();
            if (!json.json && !follow && recorded.isEmpty()) {
                out.println("No transitions recorded.");
            }
            recorded.forEach(e -> print(out, e));
            out.flush();
            if (follow) {
                follow(c, out, seen);
            }
        }
        return 0;
    }

    /** Prints each status change's new transitions as the status cache sees them, until interrupted. */
    private void follow(Connection c, PrintWriter out, Map<String, Transition> seen) throws InterruptedException {
        LinkedBlockingQueue<ChildData> changed = new LinkedBlockingQueue<>();
        try (CuratorCache cache = CuratorCache.build(c.curator(), ZPaths.STATUS)) {
            cache.listenable().addListener((type, before, after) -> {
                if (after != null) {
                    changed.add(after);
                }
            });
            cache.start();
            while (true) {
                ChildData d = changed.take();
                String pid = ZPaths.pidOf(ZPaths.STATUS, d.getPath());
                if (pid == null || d.getData() == null || d.getData().length == 0) {
                    continue;
                }
                ProcessStatus s;
                try {
                    s = Json.read(d.getPath(), d.getData(), ProcessStatus.class);
                } catch (MalformedDataException e) {
                    continue; // the CLI's other verbs report it; a stream of events goes on
                }
                for (Event e : newSince(s, seen.get(pid))) {
                    print(out, e);
                }
                seen.put(pid, last(s));
                out.flush();
            }
        }
    }

    /** The transitions of {@code s} after {@code last} (all of them when null, or when it has been trimmed away). */
    static List<Event> newSince(ProcessStatus s, Transition last) {
        List<Transition> h = s.history();
        int from = last == null ? 0 : h.lastIndexOf(last) + 1;
        if (last != null && from == 0) { // trimmed past it: what came after it in time
            from = (int) h.stream().takeWhile(t -> t.at() <= last.at()).count();
        }
        List<Event> out = new ArrayList<>();
        for (int i = from; i < h.size(); i++) {
            Transition t = h.get(i);
            String before = i == 0 ? null : h.get(i - 1).state().name();
            out.add(new Event(t.at(), s.pid(), before, t.state().name(), t.node(), t.generation(), t.reason()));
        }
        return out;
    }

    private static Transition last(ProcessStatus s) {
        return s.history().isEmpty() ? null : s.history().get(s.history().size() - 1);
    }

    private void print(PrintWriter out, Event e) {
        if (json.json) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("at", e.at());
            m.put("pid", e.pid());
            m.put("from", e.from());
            m.put("to", e.to());
            m.put("node", e.node());
            m.put("generation", e.generation());
            m.put("reason", e.reason());
            out.println(new String(Json.write(m), java.nio.charset.StandardCharsets.UTF_8));
            return;
        }
        out.println(String.format("%s  %-8s %-10s -> %-10s %-10s gen %-4d %s", Format.dateTime(e.at()), e.pid(),
                e.from() == null ? "-" : e.from(), e.to(), e.node() == null ? "-" : e.node(), e.generation(),
                e.reason() == null ? "" : Format.printable(e.reason())));
    }
}
