package io.ferry.itests;

/** {@link ClassicProcessesTest} with each process in a JVM of its own. */
class ClassicProcessesInJvmTest extends ClassicProcessesTest {
    @Override
    String isolation() {
        return "jvm";
    }
}
