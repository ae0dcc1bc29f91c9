package io.ferry.cli;

import java.security.Provider;
import java.security.SecureRandom;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLContextSpi;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLServerSocketFactory;
import javax.net.ssl.SSLSessionContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManager;

/**
 * The JVM's default TLS context for a client verb: one that names the protocols and nothing more. ZooKeeper's
 * client asks the default context which protocols exist as its classes load, and setting up the JDK's own (its
 * providers, cipher suites and trusted certificates) took a fifth of a short command's time, for a context nothing
 * in a client verb uses when ZooKeeper is reached without TLS (with TLS, its Netty client sets up its own from the
 * JDK's defaults, and this is not installed). Anything that tried to use it would be told so.
 */
final class NoDefaultTls extends SSLContextSpi {
    private static final String[] PROTOCOLS = {"TLSv1.3", "TLSv1.2"};

    static void install() {
        Provider provider = new Provider("ferry-client", "1", "the default TLS context of a client command") { };
        SSLContext.setDefault(new SSLContext(new NoDefaultTls(), provider, "Default") { });
    }

    private static UnsupportedOperationException unused() {
        return new UnsupportedOperationException("The JVM's default TLS context is not set up in a ferry client"
                + " command (TLS to ZooKeeper is configured with ferry.zk.tls.keyFile and ferry.zk.tls.caFile)");
    }

    @Override
    protected SSLParameters engineGetSupportedSSLParameters() {
        return new SSLParameters(new String[0], PROTOCOLS.clone());
    }

    @Override
    protected SSLParameters engineGetDefaultSSLParameters() {
        return engineGetSupportedSSLParameters();
    }

    @Override
    protected void engineInit(KeyManager[] km, TrustManager[] tm, SecureRandom random) {
        throw unused();
    }

    @Override
    protected SSLSocketFactory engineGetSocketFactory() {
        throw unused();
    }

    @Override
    protected SSLServerSocketFactory engineGetServerSocketFactory() {
        throw unused();
    }

    @Override
    protected SSLEngine engineCreateSSLEngine() {
        throw unused();
    }

    @Override
    protected SSLEngine engineCreateSSLEngine(String host, int port) {
        throw unused();
    }

    @Override
    protected SSLSessionContext engineGetServerSessionContext() {
        throw unused();
    }

    @Override
    protected SSLSessionContext engineGetClientSessionContext() {
        throw unused();
    }
}
