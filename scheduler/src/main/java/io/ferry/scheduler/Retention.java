package io.ferry.scheduler;

import io.ferry.coordination.FerrySettings;
import io.ferry.coordination.ProcessStatus;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * How long finished processes (COMPLETED, FAILED, TERMINATED) are kept, with their status, snapshots and logs, before
 * the leader removes them: at most {@link #keep} after they ended, and at most {@link #maxFinished} of them, the
 * oldest going first, the way Kubernetes' TTL controller bounds finished jobs. Without it a busy cluster's history
 * grows until a listing no longer fits in one ZooKeeper reply.
 */
record Retention(Duration keep, int maxFinished) {
    static final String KEEP = "ferry.retention";
    static final String MAX_FINISHED = "ferry.retention.maxFinished";

    Retention {
        if (keep.isNegative()) {
            throw new IllegalArgumentException(KEEP + " must not be negative, got " + keep);
        }
        if (maxFinished < 0) {
            throw new IllegalArgumentException(MAX_FINISHED + " must not be negative, got " + maxFinished);
        }
    }

    static Retention from(FerrySettings settings) {
        return new Retention(settings.duration(KEEP, Duration.ofHours(24)),
                (int) settings.number(MAX_FINISHED, 10_000));
    }

    /** Of these finished processes, the pids to remove now: ended longer ago than {@link #keep}, or beyond the cap. */
    Set<String> expired(List<ProcessStatus> finished, long now) {
        List<ProcessStatus> newestFirst = new ArrayList<>(finished);
        newestFirst.sort(Comparator.comparingLong(ProcessStatus::since).reversed()
                .thenComparing(ProcessStatus::pid));
        List<ProcessStatus> out = new ArrayList<>();
        for (int i = 0; i < newestFirst.size(); i++) {
            ProcessStatus s = newestFirst.get(i);
            if (i >= maxFinished || now - s.since() > keep.toMillis()) {
                out.add(s);
            }
        }
        return out.stream().map(ProcessStatus::pid).collect(Collectors.toSet());
    }
}
