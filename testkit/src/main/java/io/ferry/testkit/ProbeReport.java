package io.ferry.testkit;

/**
 * What a passing {@link ProcessProbe} did. The exact points where {@code run()} stopped depend on thread timing,
 * so these counts may vary between runs with the same seed; the verdict does not.
 *
 * @param suspensions how many times the interrupted run was suspended, snapshotted and restored (at most the
 *     probe's cycles: a process that completes first gets fewer)
 * @param crashes how many of those snapshots were restored after a crashed copy had carried on writing
 * @param filesCompared how many files the two sandboxes held
 * @param bytesCompared how many bytes were found equal
 * @param largestSnapshotBytes the size of the largest serialized process
 */
public record ProbeReport(int suspensions, int crashes, int filesCompared, long bytesCompared,
        long largestSnapshotBytes) {}
