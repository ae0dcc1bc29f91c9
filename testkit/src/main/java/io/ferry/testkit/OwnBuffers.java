package io.ferry.testkit;

import io.ferry.api.TransactionalFileOutputStream;
import java.io.Flushable;
import java.lang.reflect.Array;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * Finds the buffering wrappers a process holds of its own ({@code BufferedWriter}, {@code BufferedOutputStream}, a
 * class of its own that is {@link Flushable}) by walking its fields, transient ones included, the way serialization
 * would but further, and flushes them. The transactional streams themselves are Ferry's to write and are skipped.
 */
final class OwnBuffers {
    /** Enough for any process state worth walking; the walk stops there rather than take forever. */
    private static final int MAX_OBJECTS = 200_000;

    private OwnBuffers() {}

    private record Reached(Object value, String path) {}

    /** Flushes every wrapper reachable from {@code root}; returns where each was held ("field out (PrintStream)"). */
    static List<String> flushAll(Object root) {
        List<String> flushed = new ArrayList<>();
        Map<Object, Boolean> seen = new IdentityHashMap<>();
        Deque<Reached> queue = new ArrayDeque<>();
        queue.add(new Reached(root, root.getClass().getSimpleName()));
        while (!queue.isEmpty() && seen.size() < MAX_OBJECTS) {
            Reached next = queue.poll();
            Object value = next.value();
            if (value == null || seen.put(value, Boolean.TRUE) != null
                    || value instanceof TransactionalFileOutputStream) {
                continue;
            }
            if (value instanceof Flushable wrapper && value != root) {
                try {
                    wrapper.flush();
                    flushed.add(next.path() + " (" + value.getClass().getName() + ")");
                } catch (Exception e) {
                    // a wrapper that cannot flush loses its bytes either way; nothing more to learn here
                }
                continue;
            }
            Class<?> type = value.getClass();
            if (type.isArray()) {
                if (!type.getComponentType().isPrimitive()) {
                    for (int i = 0; i < Array.getLength(value); i++) {
                        queue.add(new Reached(Array.get(value, i), next.path() + "[" + i + "]"));
                    }
                }
            } else if (value instanceof Collection<?> items) {
                int i = 0;
                for (Object item : List.copyOf(withoutNulls(items))) {
                    queue.add(new Reached(item, next.path() + "[" + i++ + "]"));
                }
            } else if (value instanceof Map<?, ?> map) {
                for (Map.Entry<?, ?> e : List.copyOf(map.entrySet())) {
                    queue.add(new Reached(e.getValue(), next.path() + "[" + e.getKey() + "]"));
                }
            } else if (!isJdk(type)) {
                for (Class<?> c = type; c != null && !isJdk(c); c = c.getSuperclass()) {
                    for (Field field : c.getDeclaredFields()) {
                        if (Modifier.isStatic(field.getModifiers()) || field.getType().isPrimitive()) {
                            continue;
                        }
                        try {
                            field.setAccessible(true);
                            queue.add(new Reached(field.get(value), next.path() + "." + field.getName()));
                        } catch (RuntimeException | IllegalAccessException e) {
                            // a field the walk may not read: it cannot be flushed from here either
                        }
                    }
                }
            }
        }
        return flushed;
    }

    private static List<Object> withoutNulls(Collection<?> items) {
        List<Object> list = new ArrayList<>();
        for (Object item : items) {
            if (item != null) {
                list.add(item);
            }
        }
        return list;
    }

    /** JDK classes are not walked into (their internals are theirs): only collections, arrays and wrappers. */
    private static boolean isJdk(Class<?> type) {
        ClassLoader loader = type.getClassLoader();
        return loader == null || loader == ClassLoader.getPlatformClassLoader();
    }
}
