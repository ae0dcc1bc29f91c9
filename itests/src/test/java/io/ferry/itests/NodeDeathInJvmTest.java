package io.ferry.itests;

/** {@link NodeDeathTest} with each process in a JVM of its own. */
class NodeDeathInJvmTest extends NodeDeathTest {
    @Override
    String isolation() {
        return "jvm";
    }
}
