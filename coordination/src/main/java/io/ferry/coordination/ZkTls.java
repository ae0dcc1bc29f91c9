package io.ferry.coordination;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Map;
import org.apache.zookeeper.client.ZKClientConfig;
import org.apache.zookeeper.common.ClientX509Util;

/**
 * How this process reaches ZooKeeper over TLS with a client certificate, both files named in Ferry's settings: its
 * key file (PEM: its certificate, the chain, its private key; readable by its owner only) and the authority it
 * trusts for the server's certificate, whose names it checks against the host it connects to. The server's x509
 * provider makes the certificate's CN the identity ACLs name ({@code x509:CN=node}), so {@link #user} is that CN.
 */
public record ZkTls(Path keyFile, Path caFile, String user) {
    public static final String KEY_FILE = "ferry.zk.tls.keyFile";
    public static final String CA_FILE = "ferry.zk.tls.caFile";

    /**
     * The TLS the settings name, or null when they name none.
     *
     * @throws FerryException when only one file is named, or a file cannot be used
     */
    public static ZkTls from(FerrySettings settings) {
        List<String> files = settings.pair(KEY_FILE, CA_FILE, "'ferry secure init DIR --tls'");
        if (files == null) {
            return null;
        }
        Path keyFile = Path.of(files.get(0));
        Path caFile = Path.of(files.get(1));
        X509Certificate own = Pem.parse(Secrets.read(keyFile, KEY_FILE), keyFile, KEY_FILE).get(0);
        try {
            Pem.parse(Files.readString(caFile), caFile, CA_FILE);
        } catch (IOException e) {
            throw new FerryException("Cannot read " + caFile + " (" + CA_FILE + "): " + e);
        }
        String user = Pem.commonName(own);
        if (user == null) {
            throw new FerryException("The certificate in " + keyFile + " (" + KEY_FILE + ") names no CN: Ferry takes"
                    + " a part's user from it");
        }
        return new ZkTls(keyFile, caFile, user);
    }

    /** Makes clients built with {@code config} connect over TLS with this certificate. */
    void applyTo(ZKClientConfig config) {
        settings().forEach(config::setProperty);
    }

    /** Makes ZooKeeper clients built in this JVM with default settings (as zkCli's) connect so. */
    public void applyToJvm() {
        settings().forEach(System::setProperty);
    }

    private Map<String, String> settings() {
        try (ClientX509Util x509 = new ClientX509Util()) {
            return Map.of(ZKClientConfig.ZOOKEEPER_CLIENT_CNXN_SOCKET, "org.apache.zookeeper.ClientCnxnSocketNetty",
                    ZKClientConfig.SECURE_CLIENT, "true",
                    x509.getSslKeystoreLocationProperty(), keyFile.toString(),
                    x509.getSslKeystoreTypeProperty(), "PEM",
                    x509.getSslTruststoreLocationProperty(), caFile.toString(),
                    x509.getSslTruststoreTypeProperty(), "PEM");
        }
    }

    /**
     * Whether the first server of {@code connectString} answers a TLS handshake with a certificate: a client
     * without TLS settings cannot talk to it, and can say so instead of "cannot reach". Nothing is sent but the
     * handshake, so the certificate is not checked (a probe that trusts anything).
     */
    static boolean spokenAt(String connectString) {
        String first = connectString.split(",")[0].trim();
        int slash = first.indexOf('/');
        first = slash >= 0 ? first.substring(0, slash) : first; // a chroot
        int colon = first.lastIndexOf(':');
        if (colon < 0) {
            return false;
        }
        String host = first.substring(0, colon).replace("[", "").replace("]", "");
        java.util.concurrent.atomic.AtomicBoolean offered = new java.util.concurrent.atomic.AtomicBoolean();
        javax.net.ssl.X509TrustManager probe = new javax.net.ssl.X509TrustManager() {
            @Override
            public void checkClientTrusted(X509Certificate[] chain, String authType) {}

            @Override
            public void checkServerTrusted(X509Certificate[] chain, String authType) {
                offered.set(true);
            }

            @Override
            public X509Certificate[] getAcceptedIssuers() {
                return new X509Certificate[0];
            }
        };
        try (java.net.Socket raw = new java.net.Socket()) {
            int port = Integer.parseInt(first.substring(colon + 1));
            raw.connect(new java.net.InetSocketAddress(host, port), 2_000);
            raw.setSoTimeout(2_000);
            javax.net.ssl.SSLContext context = javax.net.ssl.SSLContext.getInstance("TLS");
            context.init(null, new javax.net.ssl.TrustManager[] {probe}, null);
            try (javax.net.ssl.SSLSocket tls = (javax.net.ssl.SSLSocket) context.getSocketFactory()
                    .createSocket(raw, host, port, false)) {
                tls.startHandshake();
            }
        } catch (IOException | NumberFormatException | java.security.GeneralSecurityException e) {
            // refused, not TLS, or TLS that wants a certificate we do not have: which, the trust manager saw
        }
        return offered.get();
    }
}
