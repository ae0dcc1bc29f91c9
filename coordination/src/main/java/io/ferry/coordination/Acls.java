package io.ferry.coordination;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.curator.framework.api.ACLProvider;
import org.apache.zookeeper.ZooDefs.Perms;
import org.apache.zookeeper.data.ACL;
import org.apache.zookeeper.data.Id;

/**
 * The ACL of every znode under Ferry's namespace in a secured cluster, decided by its path alone, so that whichever
 * role creates a znode (a bucket is created again by whoever writes to it next) it gets the same ACL. Four roles,
 * each a list of users (a SASL name, or the CN of a TLS client certificate): clients launch and steer processes ({@code /processes}, {@code /pids}); schedulers
 * place them ({@code /assignments}, the epoch, the leader latch) and write and forget statuses; nodes register,
 * report statuses and store snapshots and logs; readers (dashboards, scripts) only read. Everyone named reads
 * everything but snapshot chunks, which only nodes and schedulers read; nobody has ADMIN. ZooKeeper checks create
 * and delete on the parent, so those rights sit on folders: a node may delete under {@code /nodes}, a scheduler
 * under a bucket.
 * The table is docs/SECURITY.md's.
 */
public final class Acls implements ACLProvider {
    public static final String CLIENTS = "ferry.security.clients";
    public static final String SCHEDULERS = "ferry.security.schedulers";
    public static final String NODES = "ferry.security.nodes";
    public static final String READERS = "ferry.security.readers";

    /** Each role's users when its setting is absent: the users 'ferry secure init' writes. */
    private static final Map<String, String> DEFAULT_USERS = Map.of(CLIENTS, "client", SCHEDULERS, "scheduler",
            NODES, "node", READERS, "reader");

    private static final int R = Perms.READ;
    private static final int RW = Perms.READ | Perms.WRITE;
    private static final int RC = Perms.READ | Perms.CREATE;
    private static final int RD = Perms.READ | Perms.DELETE;
    private static final int RCD = Perms.READ | Perms.CREATE | Perms.DELETE;
    private static final int RWCD = RW | Perms.CREATE | Perms.DELETE;
    private static final int NONE = 0;

    private final String prefix;
    private final List<Id> clients;
    private final List<Id> schedulers;
    private final List<Id> nodes;
    private final List<Id> readers;

    /**
     * The ACLs for a cluster under {@code namespace}, with the roles' users.
     *
     * @param scheme how its users prove who they are: {@code sasl} (their names) or {@code x509} (the CNs of their
     *     certificates); a server refuses an ACL of a scheme it has no provider for
     */
    public Acls(String namespace, String scheme, List<String> clients, List<String> schedulers, List<String> nodes,
            List<String> readers) {
        this.prefix = namespace == null || namespace.isEmpty() ? "" : "/" + namespace;
        this.clients = ids(scheme, clients);
        this.schedulers = ids(scheme, schedulers);
        this.nodes = ids(scheme, nodes);
        this.readers = ids(scheme, readers);
    }

    /**
     * The roles as the settings name them (defaults: the users 'ferry secure init' writes), by the scheme of this
     * part's own credentials: every part of a cluster has the same kind, as one 'ferry secure init' wrote them.
     */
    public static Acls from(FerrySettings settings) {
        String scheme = settings.get(ZkAuth.USER, "").isBlank() ? "x509" : "sasl"; // no need to read the password
        return new Acls(settings.namespace(), scheme, users(settings, CLIENTS), users(settings, SCHEDULERS),
                users(settings, NODES), users(settings, READERS));
    }

    /**
     * Checks, before a daemon starts, that the user it authenticates as is in its role ({@code roleSetting}, such
     * as {@link #NODES}): as any other user it could not write what its role writes, and would retry for ever.
     *
     * @throws FerryException naming the user, the role and what to do
     */
    public static void requireRole(FerrySettings settings, String roleSetting, String what) {
        ZkAuth.Who who = ZkAuth.who(settings);
        if (who == null) {
            return;
        }
        List<String> users = users(settings, roleSetting);
        if (!users.contains(who.user())) {
            throw new FerryException(who + " is not in " + roleSetting + " " + users
                    + ": as that user this " + what + " could not do its work. Run it with its role's properties file,"
                    + " or add the user to " + roleSetting + " on every part");
        }
    }

    /**
     * Why a part with these settings may not steer processes (its user is not a client), or null when it may: open
     * clusters let anyone.
     */
    public static String whyNotClient(FerrySettings settings) {
        ZkAuth.Who who = ZkAuth.who(settings);
        if (who == null) {
            return null;
        }
        List<String> clients = users(settings, CLIENTS);
        return clients.contains(who.user()) ? null : who + " is not in " + CLIENTS + " " + clients;
    }

    /** The users of the role {@code key} names; by default the one user 'ferry secure init' writes for it. */
    private static List<String> users(FerrySettings settings, String key) {
        return Arrays.stream(settings.get(key, DEFAULT_USERS.get(key)).split(",")).map(String::trim)
                .filter(s -> !s.isEmpty())
                .toList();
    }

    /** Each user as {@code scheme} names it: a SASL name, or a certificate's subject (CN=user). */
    private static List<Id> ids(String scheme, List<String> users) {
        return users.stream().map(u -> new Id(scheme, scheme.equals("x509") ? "CN=" + u : u)).toList();
    }

    @Override
    public List<ACL> getDefaultAcl() {
        return acl(R, R, R, R);
    }

    @Override
    public List<ACL> getAclForPath(String path) {
        String inside = path.startsWith(prefix) ? path.substring(prefix.length()) : path;
        List<String> s = Arrays.stream(inside.split("/")).filter(x -> !x.isEmpty()).toList();
        if (s.isEmpty()) {
            return acl(RC, RC, RC, R); // the namespace: whoever connects first creates the roots
        }
        int depth = s.size();
        // acl(clients, schedulers, nodes, readers)
        return switch (s.get(0)) {
            case "processes" -> switch (depth) {
                case 1 -> acl(RC, R, R, R);
                case 2 -> acl(RC, RD, R, R); // a bucket: the scheduler forgets records in it
                default -> acl(RW, R, R, R);
            };
            case "pids" -> acl(RW, R, R, R);
            case "status" -> switch (depth) {
                case 1 -> acl(R, RC, R, R);
                case 2 -> acl(R, RCD, R, R);
                default -> acl(R, RW, RW, R);
            };
            case "assignments" -> switch (depth) {
                case 1 -> acl(R, R, RC, R); // a node creates its own folder
                case 2 -> acl(R, RCD, R, R);
                default -> acl(R, RW, R, R);
            };
            case "nodes" -> depth == 1 ? acl(R, R, RCD, R) : acl(R, R, RW, R);
            // clients cordon and drain; a node started --cordoned cordons itself
            case "cordons" -> depth == 1 ? acl(RCD, R, RCD, R) : acl(RW, R, RW, R);
            case "avoided" -> depth == 1 ? acl(R, RCD, R, R) : acl(R, RW, R, R); // the leader's verdicts
            case "snapshots" -> switch (depth) {
                case 1 -> acl(R, R, RC, R);
                case 2 -> acl(R, RD, RCD, R);
                case 3 -> acl(R, RD, RWCD, R); // the pointer
                case 4 -> acl(NONE, RD, RCD, NONE); // a snapshot's folder of chunks
                // a chunk: process state, for nodes, and for schedulers, whose recursive delete lists every znode
                default -> acl(NONE, R, R, NONE);
            };
            case "logs" -> switch (depth) {
                case 1 -> acl(R, R, RC, R);
                case 2, 3 -> acl(R, RD, RCD, R);
                default -> acl(R, R, R, R);
            };
            case "scheduler" -> switch (depth) {
                case 1 -> acl(RC, RC, RC, R); // its epoch is created by whoever connects first
                default -> s.get(1).equals("epoch") && depth == 2 ? acl(R, RW, R, R)
                        : s.get(1).equals("leader") && depth == 2 ? acl(R, RCD, R, R) : acl(R, R, R, R);
            };
            default -> acl(R, R, R, R); // the layout, and anything else: read only
        };
    }

    /** One entry per user, its rights the union of its roles'. */
    private List<ACL> acl(int client, int scheduler, int node, int reader) {
        Map<Id, Integer> perms = new LinkedHashMap<>();
        clients.forEach(id -> perms.merge(id, client, (a, b) -> a | b));
        schedulers.forEach(id -> perms.merge(id, scheduler, (a, b) -> a | b));
        nodes.forEach(id -> perms.merge(id, node, (a, b) -> a | b));
        readers.forEach(id -> perms.merge(id, reader, (a, b) -> a | b));
        List<ACL> out = new ArrayList<>();
        perms.forEach((id, p) -> {
            if (p != NONE) {
                out.add(new ACL(p, id));
            }
        });
        return out;
    }
}
