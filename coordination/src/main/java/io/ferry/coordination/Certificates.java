package io.ferry.coordination;

import java.io.IOException;
import java.math.BigInteger;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A cluster's own certificate authority and the certificates it issues, as PEM files ZooKeeper reads: EC P-256 keys,
 * SHA-256 signatures. A part's certificate names its user as its CN, which ZooKeeper's x509 provider makes its
 * identity ({@code x509:CN=node}); the server's names the hosts clients connect to, which they verify. Reading them
 * is {@link Pem}'s.
 */
final class Certificates {
    /** How long what {@code ferry secure init} issues is valid; a fresh set replaces it. */
    static final Duration VALIDITY = Duration.ofDays(2 * 365);

    /** A key pair and its certificate. */
    record Issued(KeyPair key, X509Certificate certificate) {}

    private Certificates() {}

    /** A fresh, self-signed authority. */
    static Issued authority(String name) {
        KeyPair key = keyPair();
        return new Issued(key, sign(key, name, null, key, true, List.of()));
    }

    /**
     * A certificate for {@code user}, signed by {@code authority}, good for both ends of TLS.
     *
     * @param hosts what it may be reached as (a server's); empty for a client's
     */
    static Issued issue(Issued authority, String user, List<String> hosts) {
        KeyPair key = keyPair();
        return new Issued(key, sign(key, user, authority.certificate(), authority.key(), false, hosts));
    }

    /** Writes {@code certificate} as PEM. */
    static void writeCertificate(Path file, X509Certificate certificate) throws IOException {
        Files.writeString(file, pem("CERTIFICATE", encoded(certificate)));
    }

    /** Writes {@code issued}'s certificate, the chain up to {@code authority}, and its key, readable by the owner only. */
    static void writeKey(Path file, Issued issued, Issued authority) throws IOException {
        Secrets.write(file, pem("CERTIFICATE", encoded(issued.certificate()))
                + pem("CERTIFICATE", encoded(authority.certificate()))
                + pem("PRIVATE KEY", issued.key().getPrivate().getEncoded()));
    }

    private static X509Certificate sign(KeyPair subjectKey, String subject, X509Certificate issuer, KeyPair issuerKey,
            boolean authority, List<String> hosts) {
        Instant now = Instant.now();
        X500Name subjectName = new X500Name("CN=" + subject);
        X500Name issuerName = issuer == null ? subjectName : X500Name.getInstance(
                issuer.getSubjectX500Principal().getEncoded());
        JcaX509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(issuerName,
                new BigInteger(127, new SecureRandom()), Date.from(now.minus(Duration.ofHours(1))), // clock skew
                Date.from(now.plus(authority ? VALIDITY.multipliedBy(5) : VALIDITY)), subjectName,
                subjectKey.getPublic());
        try {
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(authority));
            if (authority) {
                builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
            } else {
                builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
                builder.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(
                        new KeyPurposeId[] {KeyPurposeId.id_kp_serverAuth, KeyPurposeId.id_kp_clientAuth}));
            }
            if (!hosts.isEmpty()) {
                builder.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(
                        hosts.stream().distinct().map(Certificates::altName).toArray(GeneralName[]::new)));
            }
            return new JcaX509CertificateConverter().getCertificate(
                    builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(issuerKey.getPrivate())));
        } catch (CertIOException | OperatorCreationException | GeneralSecurityException e) {
            throw new IllegalStateException("Cannot issue a certificate for " + subject + ": " + e, e);
        }
    }

    /** An IP address as one, a name as a DNS name: clients verify the host they connect to against these. */
    private static GeneralName altName(String host) {
        boolean ip = host.matches("[0-9.]+") || host.contains(":");
        if (ip) {
            try {
                return new GeneralName(GeneralName.iPAddress, InetAddress.getByName(host).getHostAddress());
            } catch (java.net.UnknownHostException impossible) { // a literal address is not looked up
                throw new IllegalArgumentException("Not an address: " + host, impossible);
            }
        }
        return new GeneralName(GeneralName.dNSName, host);
    }

    private static KeyPair keyPair() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"), new SecureRandom());
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("This Java cannot make EC keys: " + e, e);
        }
    }

    private static byte[] encoded(X509Certificate certificate) {
        try {
            return certificate.getEncoded();
        } catch (java.security.cert.CertificateEncodingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }
}
