package io.ferry.coordination;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What 'ferry secure init' writes: private secrets, and per role a properties file that authenticates as it. */
class SecureDirTest {
    @TempDir
    Path dir;

    @Test
    void writesPrivateCredentialsAndAPropertiesFilePerRole() throws Exception {
        Path secure = dir.resolve("secure");
        SecureDir d = SecureDir.init(secure, "zk1:2181");

        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(secure))).isEqualTo("rwx------");
        for (String role : SecureDir.ROLES) {
            Path password = secure.resolve(role + ".password");
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(password))).isEqualTo("rw-------");
            assertThat(Files.readString(password).trim()).hasSizeGreaterThanOrEqualTo(32);
            Properties p = new Properties();
            try (Reader in = Files.newBufferedReader(d.properties(role))) {
                p.load(in);
            }
            assertThat(p).containsEntry(FerrySettings.CONNECT, "zk1:2181").containsEntry(ZkAuth.USER, role)
                    .containsEntry(ZkAuth.PASSWORD_FILE, password.toString());
            FerrySettings settings = FerrySettings.load(d.properties(role), Map.of(), Map.of());
            assertThat(ZkAuth.from(settings).user()).isEqualTo(role);
        }
        assertThat(d.settingsFor("node")).containsEntry(SnapshotKey.FILE, secure.resolve("snapshot.key").toString())
                .containsEntry("ferry.node.fileRoots", "").containsEntry("ferry.node.classpathRoots", "");
        assertThat(d.settingsFor("client")).doesNotContainKey(SnapshotKey.FILE);
        SnapshotKey.read(secure.resolve("snapshot.key")); // a whole, private key

        assertThat(Files.readString(secure.resolve("client.password")))
                .as("a fresh set each time").isNotEqualTo(Files.readString(
                        SecureDir.init(dir.resolve("other"), "zk1:2181").dir().resolve("client.password")));
        assertThatThrownBy(() -> SecureDir.open(dir.resolve("nothing"))).hasMessageContaining(
                "is not a directory 'ferry secure init' wrote");
    }

    @Test
    void aDaemonWhoseUserIsNotInItsRoleIsRefusedAtStart() throws Exception {
        SecureDir d = SecureDir.init(dir.resolve("s"), "zk1:2181");
        FerrySettings asClient = d.apply(FerrySettings.defaults(), "client");
        assertThatThrownBy(() -> Acls.requireRole(asClient, Acls.NODES, "node")).hasMessage(ZkAuth.USER
                + " 'client' is not in " + Acls.NODES + " [node]: as that user this node could not do its work. Run it"
                + " with its role's properties file, or add the user to " + Acls.NODES + " on every part");
        Acls.requireRole(d.apply(FerrySettings.defaults(), "node"), Acls.NODES, "node");
        Acls.requireRole(FerrySettings.defaults(), Acls.NODES, "node"); // unsecured: nothing to check
    }

    @Test
    void halfTheCredentialsIsAnError() {
        FerrySettings settings = FerrySettings.defaults().with(ZkAuth.USER, "client");
        assertThatThrownBy(() -> ZkAuth.from(settings)).hasMessage("Set both " + ZkAuth.USER + " and "
                + ZkAuth.PASSWORD_FILE + " (as 'ferry secure init' writes them), or neither");
        assertThat(ZkAuth.from(FerrySettings.defaults())).isNull();
    }

    @Test
    void withTlsWritesAnAuthorityAndACertificatePerRoleNamedByItsCn() throws Exception {
        Path secure = dir.resolve("secure");
        SecureDir.init(secure, "zk1:2181,10.0.0.7:2181/chroot"); // an earlier set of passwords, then certificates
        SecureDir d = SecureDir.init(secure, "zk1:2181,10.0.0.7:2181/chroot", true);

        assertThat(d.tls()).isTrue();
        assertThat(SecureDir.open(secure).tls()).isTrue();
        java.security.cert.X509Certificate authority = Pem.parse(Files.readString(secure.resolve("ca.pem")),
                secure.resolve("ca.pem"), "test").get(0);
        for (String role : SecureDir.ROLES) {
            assertThat(secure.resolve(role + ".password")).as("nothing of the earlier set").doesNotExist();
            Path key = secure.resolve(role + ".pem");
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(key))).isEqualTo("rw-------");
            FerrySettings settings = FerrySettings.load(d.properties(role), Map.of(), Map.of());
            assertThat(ZkAuth.from(settings)).isNull();
            ZkTls tls = ZkTls.from(settings);
            assertThat(tls.user()).isEqualTo(role);
            assertThat(ZkAuth.who(settings).user()).isEqualTo(role);
            var own = Pem.parse(Files.readString(key), key, "test").get(0);
            own.verify(authority.getPublicKey()); // signed by the cluster's authority
            assertThat(own.getBasicConstraints()).as("not an authority").isEqualTo(-1);
        }
        Path server = secure.resolve("server.pem");
        var serverCert = Pem.parse(Files.readString(server), server, "test").get(0);
        serverCert.verify(authority.getPublicKey());
        assertThat(serverCert.getSubjectAlternativeNames().stream().map(n -> n.get(1).toString()))
                .contains("zk1", "10.0.0.7", "localhost", "127.0.0.1");
        assertThat(Files.readString(secure.resolve("node.pem"))).contains("-----BEGIN PRIVATE KEY-----");
        assertThat(Files.readString(secure.resolve("ca.pem"))).doesNotContain("PRIVATE KEY");
    }

    @Test
    void aTlsKeyFileOpenToOthersOrWithoutItsAuthorityIsRefused() throws Exception {
        Path secure = dir.resolve("secure");
        SecureDir d = SecureDir.init(secure, "zk1:2181", true);
        FerrySettings client = FerrySettings.load(d.properties("client"), Map.of(), Map.of());
        Files.setPosixFilePermissions(secure.resolve("client.pem"), PosixFilePermissions.fromString("rw-r--r--"));
        assertThatThrownBy(() -> ZkTls.from(client)).hasMessageContaining("is open to others");

        FerrySettings half = FerrySettings.defaults().with(ZkTls.KEY_FILE, secure.resolve("node.pem").toString());
        assertThatThrownBy(() -> ZkTls.from(half)).hasMessage("Set both " + ZkTls.KEY_FILE + " and " + ZkTls.CA_FILE
                + " (as 'ferry secure init DIR --tls' writes them), or neither");
    }

    @Test
    void aTlsClusterNamesItsUsersByCertificateInItsAcls() throws Exception {
        SecureDir d = SecureDir.init(dir.resolve("secure"), "zk1:2181", true);
        Acls acls = Acls.from(FerrySettings.load(d.properties("client"), Map.of(), Map.of()));
        assertThat(acls.getAclForPath("/ferry/processes")).extracting(a -> a.getId().getScheme() + ":"
                + a.getId().getId()).contains("x509:CN=client", "x509:CN=reader").noneMatch(id -> id.startsWith("sasl"));
    }
}
