package io.ferry.cli;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A strict reader of Prometheus's text exposition format (version 0.0.4), for tests: every line is a HELP, a TYPE
 * (once per family, before its samples), a comment, or a sample whose name, labels and value follow the format's
 * rules; no sample appears twice; a histogram's buckets are cumulative and end with {@code le="+Inf"} equal to its
 * count. Anything else throws, naming the line.
 */
final class PrometheusText {
    private static final String NAME = "[a-zA-Z_:][a-zA-Z0-9_:]*";
    private static final Pattern HELP = Pattern.compile("# HELP (" + NAME + ") (.*)");
    private static final Pattern TYPE = Pattern.compile("# TYPE (" + NAME + ") (counter|gauge|histogram|summary|untyped)");
    private static final Pattern SAMPLE = Pattern.compile("(" + NAME + ")(\\{(.*)\\})? (\\S+)( -?[0-9]+)?");
    private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\\\n]|\\\\[\\\\\"n])*)\"(,|$)");
    private static final Pattern VALUE = Pattern.compile("[+-]?(Inf|NaN|[0-9]*\\.?[0-9]+([eE][+-]?[0-9]+)?)");

    record Sample(String name, Map<String, String> labels, double value) {}

    record Family(String name, String type, String help, List<Sample> samples) {}

    private PrometheusText() {}

    static Map<String, Family> parse(String text) {
        Map<String, Family> families = new LinkedHashMap<>();
        Map<String, String> help = new LinkedHashMap<>();
        Set<String> seen = new HashSet<>();
        int n = 0;
        for (String line : text.split("\n", -1)) {
            n++;
            if (line.isEmpty()) {
                continue;
            }
            Matcher m;
            if ((m = HELP.matcher(line)).matches()) {
                help.put(m.group(1), m.group(2));
            } else if ((m = TYPE.matcher(line)).matches()) {
                if (families.containsKey(m.group(1))) {
                    throw new AssertionError("line " + n + ": a second TYPE for " + m.group(1));
                }
                families.put(m.group(1), new Family(m.group(1), m.group(2), help.get(m.group(1)), new ArrayList<>()));
            } else if (line.startsWith("#")) {
                continue; // a comment
            } else if ((m = SAMPLE.matcher(line)).matches()) {
                Sample s = new Sample(m.group(1), labels(m.group(3), n), value(m.group(4), n));
                if (!seen.add(s.name() + s.labels())) {
                    throw new AssertionError("line " + n + ": sample " + s.name() + s.labels() + " appears twice");
                }
                Family f = familyOf(families, s.name());
                if (f == null) {
                    throw new AssertionError("line " + n + ": sample " + s.name() + " has no TYPE before it");
                }
                f.samples().add(s);
            } else {
                throw new AssertionError("line " + n + " is not in Prometheus's text format: " + line);
            }
        }
        families.values().stream().filter(f -> f.type().equals("histogram")).forEach(PrometheusText::checkHistogram);
        return families;
    }

    /** The sum of every sample named {@code name}, whatever its labels; 0 when there is none. */
    static double sum(Map<String, Family> families, String name) {
        return families.values().stream().flatMap(f -> f.samples().stream()).filter(s -> s.name().equals(name))
                .mapToDouble(Sample::value).sum();
    }

    private static Family familyOf(Map<String, Family> families, String sample) {
        if (families.containsKey(sample)) {
            return families.get(sample);
        }
        for (String suffix : List.of("_bucket", "_count", "_sum")) {
            if (sample.endsWith(suffix)) {
                Family f = families.get(sample.substring(0, sample.length() - suffix.length()));
                if (f != null && (f.type().equals("histogram") || f.type().equals("summary"))) {
                    return f;
                }
            }
        }
        return null;
    }

    private static Map<String, String> labels(String text, int line) {
        Map<String, String> labels = new LinkedHashMap<>();
        if (text == null || text.isEmpty()) {
            return labels;
        }
        Matcher m = LABEL.matcher(text);
        int at = 0;
        while (at < text.length()) {
            if (!m.find(at) || m.start() != at) {
                throw new AssertionError("line " + line + ": malformed labels {" + text + "}");
            }
            if (labels.put(m.group(1), m.group(2)) != null) {
                throw new AssertionError("line " + line + ": label " + m.group(1) + " twice");
            }
            at = m.end();
        }
        return labels;
    }

    private static double value(String text, int line) {
        if (!VALUE.matcher(text).matches()) {
            throw new AssertionError("line " + line + ": not a sample value: " + text);
        }
        return text.endsWith("Inf") ? (text.startsWith("-") ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY)
                : Double.parseDouble(text);
    }

    /** Per label set (le aside): buckets cumulative, ending at +Inf with the count. */
    private static void checkHistogram(Family f) {
        Map<Map<String, String>, List<Sample>> series = new LinkedHashMap<>();
        Map<Map<String, String>, Double> counts = new LinkedHashMap<>();
        for (Sample s : f.samples()) {
            Map<String, String> key = new LinkedHashMap<>(s.labels());
            key.remove("le");
            if (s.name().endsWith("_bucket")) {
                series.computeIfAbsent(key, k -> new ArrayList<>()).add(s);
            } else if (s.name().endsWith("_count")) {
                counts.put(key, s.value());
            }
        }
        series.forEach((key, buckets) -> {
            double last = -1;
            double lastLe = Double.NEGATIVE_INFINITY;
            for (Sample b : buckets) {
                double le = value(b.labels().get("le"), 0);
                if (le <= lastLe || b.value() < last) {
                    throw new AssertionError(f.name() + key + ": buckets not cumulative at le=" + b.labels().get("le"));
                }
                last = b.value();
                lastLe = le;
            }
            if (lastLe != Double.POSITIVE_INFINITY || !Double.valueOf(last).equals(counts.get(key))) {
                throw new AssertionError(f.name() + key + ": the +Inf bucket must hold the count");
            }
        });
    }
}
