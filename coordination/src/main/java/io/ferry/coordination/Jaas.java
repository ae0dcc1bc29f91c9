package io.ferry.coordination;

import java.util.HashMap;
import java.util.Map;
import javax.security.auth.login.AppConfigurationEntry;
import javax.security.auth.login.AppConfigurationEntry.LoginModuleControlFlag;
import javax.security.auth.login.Configuration;

/**
 * The JVM's JAAS configuration with Ferry's own sections added as it runs, so that credentials come from Ferry's
 * settings rather than a JVM flag and a file; any section it does not hold comes from the configuration that was
 * there before (a {@code java.security.auth.login.config} file, say). ZooKeeper's client and server look their
 * SASL sections up here (DIGEST-MD5, through ZooKeeper's {@code DigestLoginModule}).
 */
public final class Jaas extends Configuration {
    private static final String DIGEST = "org.apache.zookeeper.server.auth.DigestLoginModule";

    private static Jaas installed;

    private final Configuration before;
    private final Map<String, AppConfigurationEntry[]> sections = new HashMap<>();

    private Jaas(Configuration before) {
        this.before = before;
    }

    /** Adds (or replaces) the client section {@code name}: log in to ZooKeeper as {@code user}. */
    public static void addClient(String name, String user, String password) {
        add(name, Map.of("username", user, "password", password));
    }

    /** Adds (or replaces) the server section {@code name}: the users a ZooKeeper server accepts, with passwords. */
    public static void addServer(String name, Map<String, String> passwords) {
        Map<String, String> options = new HashMap<>();
        passwords.forEach((user, password) -> options.put("user_" + user, password));
        add(name, options);
    }

    private static synchronized void add(String name, Map<String, String> options) {
        if (installed == null) {
            Configuration before;
            try {
                before = Configuration.getConfiguration();
            } catch (SecurityException none) {
                before = null; // no configuration file: Ferry's sections are all there is
            }
            installed = new Jaas(before);
            Configuration.setConfiguration(installed);
        }
        AppConfigurationEntry entry = new AppConfigurationEntry(DIGEST, LoginModuleControlFlag.REQUIRED,
                Map.copyOf(options));
        synchronized (installed) {
            installed.sections.put(name, new AppConfigurationEntry[] {entry});
        }
    }

    @Override
    public synchronized AppConfigurationEntry[] getAppConfigurationEntry(String name) {
        AppConfigurationEntry[] mine = sections.get(name);
        if (mine != null) {
            return mine.clone();
        }
        return before == null ? null : before.getAppConfigurationEntry(name);
    }
}
