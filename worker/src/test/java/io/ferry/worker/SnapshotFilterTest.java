package io.ferry.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ferry.api.MigratableProcess;
import java.io.ByteArrayOutputStream;
import java.io.ObjectOutputStream;
import java.io.Serializable;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What a snapshot may hold when it is restored: the spec's class first, then only what a process needs. */
class SnapshotFilterTest {
    /** A process whose state is whatever the test puts in it. */
    public static final class Holder implements MigratableProcess {
        private static final long serialVersionUID = 1L;
        final Object state;

        public Holder(Object state) {
            this.state = state;
        }

        @Override
        public void run() {}

        @Override
        public void suspend() {}
    }

    /** A handler a proxy can be serialized with. */
    static final class Handler implements InvocationHandler, Serializable {
        private static final long serialVersionUID = 1L;

        @Override
        public Object invoke(Object proxy, java.lang.reflect.Method method, Object[] args) {
            return null;
        }
    }

    private final Loading loading = new Loading(getClass().getClassLoader());

    @Test
    void restoresJdkStateAndTheProcessOwnClasses() throws Exception {
        List<Object> state = new ArrayList<>(List.of("a", 1L, Map.of("k", new int[] {1, 2}), new Handler()));
        Holder back = (Holder) restore(new Holder(state), Holder.class);
        assertThat(back.state).asList().hasSize(4).startsWith("a", 1L);
    }

    @Test
    void refusesAnotherClassFirstAProxyAndClassesOfOtherJars() {
        assertThatThrownBy(() -> restore(new Holder(null), Rehearsal.Trainee.class)).isInstanceOf(Unstartable.class)
                .hasMessage("Snapshot refused: it holds a " + Holder.class.getName() + ", not the "
                        + Rehearsal.Trainee.class.getName() + " its spec names");
        Object proxy = Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {Runnable.class},
                new Handler());
        assertThatThrownBy(() -> restore(new Holder(proxy), Holder.class)).hasMessage(
                "Snapshot refused: it holds a proxy, which is never restored");
        // serializable, and on the classpath, but from another jar than the process's
        assertThatThrownBy(() -> restore(new Holder(new org.opentest4j.AssertionFailedError("x")), Holder.class))
                .hasMessageContaining("class org.opentest4j.AssertionFailedError is neither an allowed JDK class nor"
                        + " the process's own");
        assertThatThrownBy(() -> restore(new Holder(new java.beans.PropertyChangeEvent("s", "p", 1, 2)),
                Holder.class)).hasMessageContaining("java.beans.PropertyChangeEvent is neither an allowed JDK");
    }

    @Test
    void refusesAnArrayLargerThanTheSnapshotCouldHold() throws Exception {
        byte[] bytes = serialize(new Holder(new long[] {0x0102030405060708L}));
        int at = indexOf(bytes, new byte[] {0, 0, 0, 1, 1, 2, 3, 4, 5, 6, 7, 8});
        // the same bytes, but a length of bytes/8 + 1 longs: just more than they could describe
        java.nio.ByteBuffer.wrap(bytes, at, 4).putInt(bytes.length / 8 + 1);
        assertThatThrownBy(() -> loading.deserialize(bytes, Holder.class.getName(), getClass().getClassLoader()))
                .hasMessageContaining("it declares more than its " + bytes.length + " bytes can hold");
    }

    private Object restore(Object process, Class<?> spec) throws Exception {
        return loading.deserialize(serialize(process), spec.getName(), getClass().getClassLoader());
    }

    private static byte[] serialize(Object o) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ObjectOutputStream s = new ObjectOutputStream(out)) {
            s.writeObject(o);
        }
        return out.toByteArray();
    }

    private static int indexOf(byte[] in, byte[] what) {
        outer:
        for (int i = 0; i + what.length <= in.length; i++) {
            for (int j = 0; j < what.length; j++) {
                if (in[i + j] != what[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
