package io.ferry.coordination;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * A directory of credentials, as {@code ferry secure init DIR} writes it: a SASL password for each role (client,
 * scheduler, node, reader), the cluster's snapshot key, and for each role a properties file that uses them
 * ({@code FERRY_CONF=DIR/client.properties}); ZooKeeper's server side reads the passwords too. Every secret is
 * readable by its owner only, and so is the directory.
 */
public final class SecureDir {
    public static final List<String> ROLES = List.of("client", "scheduler", "node", "reader");
    private static final String SASL_PROVIDER = "org.apache.zookeeper.server.auth.SASLAuthenticationProvider";

    private final Path dir;

    private SecureDir(Path dir) {
        this.dir = dir.toAbsolutePath().normalize();
    }

    /**
     * Writes a fresh set into {@code dir} (created, mode 700), leaving nothing of an earlier set.
     *
     * @param connect the connect string the properties files name
     */
    public static SecureDir init(Path dir, String connect) throws IOException {
        Files.createDirectories(dir);
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
        SecureDir d = new SecureDir(dir);
        SecureRandom random = new SecureRandom();
        for (String role : ROLES) {
            byte[] password = new byte[24];
            random.nextBytes(password);
            Secrets.write(d.passwordFile(role), Base64.getUrlEncoder().withoutPadding().encodeToString(password));
        }
        SnapshotKey.generate().write(d.keyFile());
        d.writeProperties(connect);
        return d;
    }

    /** (Re)writes each role's properties file, naming {@code connect} as the ensemble. */
    public void writeProperties(String connect) throws IOException {
        for (String role : ROLES) {
            Properties p = new Properties();
            p.setProperty(FerrySettings.CONNECT, connect);
            settingsFor(role).forEach(p::setProperty);
            try (var out = Files.newBufferedWriter(properties(role))) {
                p.store(out, "Ferry's settings for the " + role + " role, written by 'ferry secure init'");
            }
        }
    }

    /** The set in {@code dir}, checked to be whole. */
    public static SecureDir open(Path dir) {
        SecureDir d = new SecureDir(dir);
        for (String role : ROLES) {
            if (!Files.isRegularFile(d.passwordFile(role))) {
                throw new FerryException(dir + " is not a directory 'ferry secure init' wrote (no "
                        + d.passwordFile(role).getFileName() + "); write one with 'ferry secure init " + dir + "'");
            }
        }
        return d;
    }

    public Path dir() {
        return dir;
    }

    /** The properties file for {@code role}: what a part of that role runs with ({@code FERRY_CONF}). */
    public Path properties(String role) {
        return dir.resolve(role + ".properties");
    }

    /** The settings that make a part authenticate as {@code role} (and, for nodes, sign snapshots). */
    public Map<String, String> settingsFor(String role) {
        if (!ROLES.contains(role)) {
            throw new IllegalArgumentException("No role " + role + "; roles are " + ROLES);
        }
        Map<String, String> s = new LinkedHashMap<>();
        s.put(ZkAuth.USER, role);
        s.put(ZkAuth.PASSWORD_FILE, passwordFile(role).toString());
        if (role.equals("node")) {
            s.put(SnapshotKey.FILE, keyFile().toString());
            s.put("ferry.node.fileRoots", ""); // a secured node confines files and classpaths to its work directory
            s.put("ferry.node.classpathRoots", "");
        }
        return s;
    }

    /** {@code base} with {@link #settingsFor(String) role's settings}. */
    public FerrySettings apply(FerrySettings base, String role) {
        FerrySettings out = base;
        for (Map.Entry<String, String> e : settingsFor(role).entrySet()) {
            out = out.with(e.getKey(), e.getValue());
        }
        return out;
    }

    /**
     * Makes the ZooKeeper servers this JVM starts from now on accept these users by SASL (DIGEST-MD5), and
     * returns the server settings that require every session to authenticate so ({@code enforce.auth}).
     */
    public Properties secureServer() {
        Map<String, String> passwords = new LinkedHashMap<>();
        for (String role : ROLES) {
            passwords.put(role, Secrets.read(passwordFile(role), "ferry secure init"));
        }
        Jaas.addServer("Server", passwords);
        // ZooKeeper registers auth providers once per JVM, from system properties: register SASL's now
        String key = org.apache.zookeeper.server.auth.ProviderRegistry.AUTHPROVIDER_PROPERTY_PREFIX + "sasl";
        System.setProperty(key, SASL_PROVIDER);
        org.apache.zookeeper.server.auth.ProviderRegistry.addOrUpdateProvider(key);
        Properties p = new Properties();
        p.setProperty("authProvider.sasl", SASL_PROVIDER);
        p.setProperty("enforce.auth.enabled", "true");
        p.setProperty("enforce.auth.schemes", "sasl");
        return p;
    }

    private Path passwordFile(String role) {
        return dir.resolve(role + ".password");
    }

    Path keyFile() {
        return dir.resolve("snapshot.key");
    }

    @Override
    public String toString() {
        return dir.toString();
    }
}
