package io.ferry.coordination;

import java.nio.file.Path;
import org.apache.zookeeper.client.ZKClientConfig;

/**
 * How this process authenticates to ZooKeeper: SASL with DIGEST-MD5 as {@link #user}, its password read from a
 * file only its owner can read, both named in Ferry's settings (not JVM flags). Absent, the client connects
 * unauthenticated, which a secured cluster refuses.
 *
 * @param user the SASL user name, which is also the identity ACLs name ({@code sasl:user})
 */
public record ZkAuth(String user, String password) {
    public static final String USER = "ferry.zk.sasl.user";
    public static final String PASSWORD_FILE = "ferry.zk.sasl.passwordFile";

    public ZkAuth {
        if (!user.matches("[A-Za-z0-9._-]{1,63}")) { // a safe JAAS section name and ACL id
            throw new FerryException(USER + " must be letters, digits, '.', '_' or '-', got '" + user + "'");
        }
    }

    /**
     * The credentials the settings name, or null when they name none.
     *
     * @throws FerryException when only one of the two settings is there, or the password file cannot be used
     */
    public static ZkAuth from(FerrySettings settings) {
        java.util.List<String> userAndFile = settings.pair(USER, PASSWORD_FILE, "'ferry secure init'");
        return userAndFile == null ? null
                : new ZkAuth(userAndFile.get(0), Secrets.read(Path.of(userAndFile.get(1)), PASSWORD_FILE));
    }

    /** Who a part is to ZooKeeper's ACLs, and the setting that says so. */
    public record Who(String user, String setting) {
        @Override
        public String toString() {
            return setting + " '" + user + "'";
        }
    }

    /**
     * Who a part with these settings is to ZooKeeper's ACLs: its SASL user, else its TLS certificate's CN; null when
     * it connects anonymously.
     */
    public static Who who(FerrySettings settings) {
        String user = settings.get(USER, "").trim();
        if (!user.isEmpty()) {
            return new Who(user, USER);
        }
        ZkTls tls = ZkTls.from(settings);
        return tls == null ? null : new Who(tls.user(), "the CN of " + ZkTls.KEY_FILE);
    }

    /** Makes clients built with {@code config} log in as this user. */
    void applyTo(ZKClientConfig config) {
        settings().forEach(config::setProperty);
    }

    /** Makes ZooKeeper clients built in this JVM with default settings (as zkCli's) log in as this user. */
    public void applyToJvm() {
        settings().forEach(System::setProperty);
    }

    private java.util.Map<String, String> settings() {
        String section = "Ferry-" + user;
        Jaas.addClient(section, user, password);
        return java.util.Map.of(ZKClientConfig.LOGIN_CONTEXT_NAME_KEY, section,
                ZKClientConfig.ENABLE_CLIENT_SASL_KEY, "true",
                // ZooKeeper 3.9 refuses DIGEST-MD5 in its FIPS mode, on by default; Kerberos or TLS replace it there
                org.apache.zookeeper.common.X509Util.FIPS_MODE_PROPERTY, "false");
    }

    @Override
    public String toString() {
        return "ZkAuth[" + user + "]"; // never the password
    }
}
