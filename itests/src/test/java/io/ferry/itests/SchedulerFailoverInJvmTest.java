package io.ferry.itests;

/** {@link SchedulerFailoverTest} with each process in a JVM of its own. */
class SchedulerFailoverInJvmTest extends SchedulerFailoverTest {
    @Override
    String isolation() {
        return "jvm";
    }
}
