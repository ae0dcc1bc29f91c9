package io.ferry.itests;

/** {@link CoreLifecycleTest} with each process in a JVM of its own. */
class CoreLifecycleInJvmTest extends CoreLifecycleTest {
    @Override
    String isolation() {
        return "jvm";
    }
}
