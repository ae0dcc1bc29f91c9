package io.ferry.coordination;

import java.io.ByteArrayInputStream;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.naming.InvalidNameException;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;

/**
 * Reads the PEM certificates of Ferry's TLS settings with the JDK alone: a TLS client needs none of the BouncyCastle
 * jars {@link Certificates} issues them with (signed jars that cost a short command 50 ms to open).
 */
final class Pem {
    private static final Pattern CERTIFICATE =
            Pattern.compile("-----BEGIN CERTIFICATE-----([A-Za-z0-9+/=\\s]+)-----END CERTIFICATE-----");

    private Pem() {}

    /** The certificates in the PEM text of {@code file}, in order. */
    static List<X509Certificate> parse(String text, Path file, String setting) {
        List<X509Certificate> out = new ArrayList<>();
        Matcher m = CERTIFICATE.matcher(text);
        try {
            CertificateFactory factory = CertificateFactory.getInstance("X.509");
            while (m.find()) {
                byte[] der = Base64.getMimeDecoder().decode(m.group(1));
                out.add((X509Certificate) factory.generateCertificate(new ByteArrayInputStream(der)));
            }
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new FerryException(file + " (" + setting + ") holds a certificate that cannot be read: " + e);
        }
        if (out.isEmpty()) {
            throw new FerryException(file + " (" + setting + ") holds no PEM certificate; write one with 'ferry"
                    + " secure init DIR --tls'");
        }
        return out;
    }

    /** The CN of a certificate's subject, or null. */
    static String commonName(X509Certificate certificate) {
        try {
            for (Rdn rdn : new LdapName(certificate.getSubjectX500Principal().getName()).getRdns()) {
                if (rdn.getType().equalsIgnoreCase("CN")) {
                    return rdn.getValue().toString();
                }
            }
            return null;
        } catch (InvalidNameException e) {
            return null;
        }
    }
}
