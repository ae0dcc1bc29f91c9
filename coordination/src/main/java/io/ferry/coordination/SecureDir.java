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
 * A directory of credentials, as {@code ferry secure init DIR} writes it, in one of two kinds. SASL: a password
 * for each role (client, scheduler, node, reader), which ZooKeeper's server side reads too. TLS: a certificate
 * authority of the cluster's own ({@code ca.pem}), a key and certificate for each role whose CN is the role's user
 * ({@code node.pem}), and one for the ZooKeeper servers naming the hosts clients reach them as ({@code server.pem});
 * the servers then take TLS connections only, and only from certificates of that authority. Either way, the
 * cluster's snapshot key and, for each role, a properties file that uses them ({@code FERRY_CONF=DIR/client.properties}).
 * Every secret is readable by its owner only, and so is the directory.
 */
public final class SecureDir {
    public static final List<String> ROLES = List.of("client", "scheduler", "node", "reader");
    private static final String SASL_PROVIDER = "org.apache.zookeeper.server.auth.SASLAuthenticationProvider";
    private static final String X509_PROVIDER = "org.apache.zookeeper.server.auth.X509AuthenticationProvider";

    private final Path dir;

    private SecureDir(Path dir) {
        this.dir = dir.toAbsolutePath().normalize();
    }

    /**
     * Writes a fresh set of SASL passwords into {@code dir} (created, mode 700), leaving nothing of an earlier set.
     *
     * @param connect the connect string the properties files name
     */
    public static SecureDir init(Path dir, String connect) throws IOException {
        return init(dir, connect, false);
    }

    /**
     * Writes a fresh set into {@code dir} (created, mode 700), leaving nothing of an earlier set.
     *
     * @param connect the connect string the properties files name; with TLS, its hosts (and this machine's loopback
     *     names) are what the servers' certificate names
     * @param tls certificates instead of passwords
     */
    public static SecureDir init(Path dir, String connect, boolean tls) throws IOException {
        Files.createDirectories(dir);
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
        SecureDir d = new SecureDir(dir);
        for (String role : ROLES) {
            Files.deleteIfExists(d.passwordFile(role));
            Files.deleteIfExists(d.certificateFile(role));
        }
        Files.deleteIfExists(d.serverCertificateFile());
        Files.deleteIfExists(d.authorityFile());
        if (tls) {
            Certificates.Issued authority = Certificates.authority("Ferry cluster authority");
            for (String role : ROLES) {
                Certificates.writeKey(d.certificateFile(role), Certificates.issue(authority, role, List.of()),
                        authority);
            }
            Certificates.writeKey(d.serverCertificateFile(),
                    Certificates.issue(authority, "zookeeper", serverHosts(connect)), authority);
            Certificates.writeCertificate(d.authorityFile(), authority.certificate()); // last: it marks the kind
        } else {
            SecureRandom random = new SecureRandom();
            for (String role : ROLES) {
                byte[] password = new byte[24];
                random.nextBytes(password);
                Secrets.write(d.passwordFile(role), Base64.getUrlEncoder().withoutPadding().encodeToString(password));
            }
        }
        SnapshotKey.generate().write(d.keyFile());
        d.writeProperties(connect);
        return d;
    }

    /** The hosts of {@code connect}, and the names of this machine's loopback. */
    private static List<String> serverHosts(String connect) {
        List<String> hosts = new java.util.ArrayList<>();
        String servers = connect.contains("/") ? connect.substring(0, connect.indexOf('/')) : connect; // a chroot
        for (String server : servers.split(",")) {
            String s = server.trim();
            int colon = s.lastIndexOf(':');
            String host = (colon > 0 && !s.endsWith("]") ? s.substring(0, colon) : s).replace("[", "")
                    .replace("]", "");
            if (!host.isEmpty()) {
                hosts.add(host);
            }
        }
        hosts.addAll(List.of("localhost", "127.0.0.1", "::1"));
        return hosts;
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
        List<Path> needed = new java.util.ArrayList<>();
        for (String role : ROLES) {
            needed.add(d.tls() ? d.certificateFile(role) : d.passwordFile(role));
        }
        if (d.tls()) {
            needed.add(d.serverCertificateFile());
        }
        for (Path file : needed) {
            if (!Files.isRegularFile(file)) {
                throw new FerryException(dir + " is not a directory 'ferry secure init' wrote (no "
                        + file.getFileName() + "); write one with 'ferry secure init " + dir + "'");
            }
        }
        return d;
    }

    /** Whether this set is of certificates (TLS) rather than passwords (SASL). */
    public boolean tls() {
        return Files.isRegularFile(authorityFile());
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
        if (tls()) {
            s.put(ZkTls.KEY_FILE, certificateFile(role).toString());
            s.put(ZkTls.CA_FILE, authorityFile().toString());
        } else {
            s.put(ZkAuth.USER, role);
            s.put(ZkAuth.PASSWORD_FILE, passwordFile(role).toString());
        }
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
     * Makes {@code zoo} (a ZooKeeper server's settings) require every session to authenticate with this set
     * ({@code enforce.auth}), and the servers this JVM starts from now on accept it: by SASL (DIGEST-MD5), or by TLS
     * certificates of this set's authority on the client port, which then takes TLS connections only.
     */
    public void secureServer(Properties zoo) {
        if (tls()) {
            try (org.apache.zookeeper.common.ClientX509Util x509 = new org.apache.zookeeper.common.ClientX509Util()) {
                // ZooKeeper's TLS server and its x509 provider read these from system properties only
                System.setProperty(x509.getSslKeystoreLocationProperty(), serverCertificateFile().toString());
                System.setProperty(x509.getSslKeystoreTypeProperty(), "PEM");
                System.setProperty(x509.getSslTruststoreLocationProperty(), authorityFile().toString());
                System.setProperty(x509.getSslTruststoreTypeProperty(), "PEM");
                System.setProperty(x509.getSslClientAuthProperty(), "need");
            }
            registerProvider("x509", X509_PROVIDER);
            move(zoo, "clientPort", "secureClientPort");
            move(zoo, "clientPortAddress", "secureClientPortAddress");
            zoo.setProperty("serverCnxnFactory", "org.apache.zookeeper.server.NettyServerCnxnFactory");
            zoo.setProperty("enforce.auth.schemes", "x509");
        } else {
            Map<String, String> passwords = new LinkedHashMap<>();
            for (String role : ROLES) {
                passwords.put(role, Secrets.read(passwordFile(role), "ferry secure init"));
            }
            Jaas.addServer("Server", passwords);
            registerProvider("sasl", SASL_PROVIDER);
            zoo.setProperty("enforce.auth.schemes", "sasl");
        }
        zoo.setProperty("enforce.auth.enabled", "true");
    }

    /** ZooKeeper registers auth providers once per JVM, from system properties: registers one now. */
    private static void registerProvider(String scheme, String provider) {
        String key = org.apache.zookeeper.server.auth.ProviderRegistry.AUTHPROVIDER_PROPERTY_PREFIX + scheme;
        System.setProperty(key, provider);
        org.apache.zookeeper.server.auth.ProviderRegistry.addOrUpdateProvider(key);
    }

    private static void move(Properties p, String from, String to) {
        String value = (String) p.remove(from);
        if (value != null) {
            p.setProperty(to, value);
        }
    }

    private Path certificateFile(String role) {
        return dir.resolve(role + ".pem");
    }

    private Path serverCertificateFile() {
        return dir.resolve("server.pem");
    }

    private Path authorityFile() {
        return dir.resolve("ca.pem");
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
