package io.ferry.coordination;

import java.util.regex.Pattern;

/** What a pid and a node id may look like: they become znode names, so they are checked at every boundary. */
public final class Names {
    private static final Pattern PID = Pattern.compile("p-[0-9]{1,18}");
    private static final Pattern NODE = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,62}");

    private Names() {}

    public static boolean isPid(String s) {
        return s != null && PID.matcher(s).matches();
    }

    public static String checkPid(String pid) {
        if (!isPid(pid)) {
            throw new IllegalArgumentException("Not a pid: '" + pid + "' (pids look like p-17; see 'ferry ps --all')");
        }
        return pid;
    }

    public static boolean isNode(String s) {
        return s != null && NODE.matcher(s).matches();
    }

    public static String checkNode(String node) {
        if (!isNode(node)) {
            throw new IllegalArgumentException("Not a node id: '" + node
                    + "' (letters, digits, '.', '_' and '-', at most 63; see 'ferry nodes')");
        }
        return node;
    }

    /** The number of {@code pid}: 17 for {@code p-17}. */
    public static long number(String pid) {
        return Long.parseLong(checkPid(pid).substring(2));
    }

    public static String pid(long number) {
        return "p-" + number;
    }
}
