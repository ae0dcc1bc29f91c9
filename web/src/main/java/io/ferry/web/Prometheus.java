package io.ferry.web;

import io.ferry.coordination.FerryMetrics;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

/**
 * This JVM's Prometheus registry: made once, added to the global registry Ferry's meters are recorded to, with the
 * JVM's own meters (memory, GC, threads, classes, CPU, uptime) bound to it.
 */
public final class Prometheus {
    private static PrometheusMeterRegistry registry;

    private Prometheus() {}

    /**
     * Makes the registry now: a meter recorded before it is added is not in it, so a part that will serve
     * {@code /metrics} calls this before it starts anything.
     */
    public static void install() {
        registry();
    }

    static synchronized PrometheusMeterRegistry registry() {
        if (registry == null) {
            PrometheusMeterRegistry r = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
            new JvmMemoryMetrics().bindTo(r);
            new JvmGcMetrics().bindTo(r);
            new JvmThreadMetrics().bindTo(r);
            new ClassLoaderMetrics().bindTo(r);
            new ProcessorMetrics().bindTo(r);
            new UptimeMetrics().bindTo(r);
            FerryMetrics.publish(r);
            registry = r;
        }
        return registry;
    }

    /** The Prometheus text exposition of every meter. */
    static String scrape() {
        return registry().scrape();
    }
}
