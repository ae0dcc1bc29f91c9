/**
 * Test support for people who write Ferry processes: {@link io.ferry.testkit.ProcessProbe} checks, from an
 * ordinary unit test and without a cluster, that a process survives suspension, migration and crashes with its
 * output unchanged. Depends on ferry-api only, and on no test framework: failures are {@link AssertionError}s.
 */
package io.ferry.testkit;
