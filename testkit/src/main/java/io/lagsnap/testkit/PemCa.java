package io.lagsnap.testkit;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyStore;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A certificate authority made per test JVM with the JDK's keytool, handing out what librdkafka users hold: the CA
 * as a PEM file ({@code ssl.ca.location}) and a client certificate and PKCS#8 key as PEM files
 * ({@code ssl.certificate.location}, {@code ssl.key.location}); what Java clients and brokers hold: PKCS12 stores,
 * the broker's for {@code localhost}/127.0.0.1, the client's for mutual TLS, and a truststore holding only the CA.
 * No key material lives in the repository.
 */
public final class PemCa {
    /** The DN of the client certificate; a broker's mutual-TLS principal is {@code User:} + this. */
    public static final String CLIENT_DN = "CN=lagsnap-client,O=lagsnap-test";

    private static PemCa instance;

    private final Path dir;
    private final String storePassword;

    private PemCa(Path dir, String storePassword) {
        this.dir = dir;
        this.storePassword = storePassword;
    }

    /** The JVM's CA, made on first use. */
    public static synchronized PemCa get() {
        if (instance == null) {
            try {
                Path dir = Files.createTempDirectory("lagsnap-pem-ca");
                dir.toFile().deleteOnExit();
                PemCa ca = new PemCa(dir, "pem-ca-pw-" + Long.toHexString(System.nanoTime()));
                ca.make();
                instance = ca;
            } catch (IOException | GeneralSecurityException e) {
                throw new IllegalStateException("cannot make the test CA", e);
            }
        }
        return instance;
    }

    /** The CA certificate, PEM. */
    public Path caPem() {
        return dir.resolve("ca.pem");
    }

    /** The client certificate signed by the CA, PEM. */
    public Path clientCertificatePem() {
        return dir.resolve("client.pem");
    }

    /** The client's private key, unencrypted PKCS#8 PEM. */
    public Path clientKeyPem() {
        return dir.resolve("client.key");
    }

    /** The broker's PKCS12 keystore (certificate for localhost and 127.0.0.1, chained to the CA). */
    public Path brokerKeystore() {
        return dir.resolve("broker.p12");
    }

    /** A PKCS12 truststore holding only the CA: for clients, and for listeners that require client certificates. */
    public Path truststore() {
        return dir.resolve("truststore.p12");
    }

    /** The client's PKCS12 keystore (the certificate of {@link #CLIENT_DN}, chained to the CA) for mutual TLS. */
    public Path clientKeystore() {
        return dir.resolve("client.p12");
    }

    public String storePassword() {
        return storePassword;
    }

    /** Broker properties for TLS listeners: the broker keystore, and the CA as truststore for client certificates. */
    public Map<String, String> brokerTls() {
        return Map.of("ssl.keystore.type", "PKCS12",
                "ssl.keystore.location", brokerKeystore().toString(),
                "ssl.keystore.password", storePassword,
                "ssl.key.password", storePassword,
                "ssl.truststore.type", "PKCS12",
                "ssl.truststore.location", truststore().toString(),
                "ssl.truststore.password", storePassword);
    }

    private void make() throws IOException, GeneralSecurityException {
        keytool("-genkeypair", "-alias", "ca", "-dname", "CN=lagsnap-pem-test-ca", "-ext", "bc:c",
                "-keystore", "ca.p12");
        keytool("-exportcert", "-rfc", "-alias", "ca", "-keystore", "ca.p12", "-file", "ca.pem");
        keytool("-importcert", "-noprompt", "-alias", "ca", "-file", "ca.pem", "-keystore", "truststore.p12");
        signed("broker", "CN=localhost", "san=dns:localhost,ip:127.0.0.1");
        signed("client", CLIENT_DN, null);
        KeyStore client = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(dir.resolve("client.p12"))) {
            client.load(in, storePassword.toCharArray());
        }
        Key key = client.getKey("client", storePassword.toCharArray());
        Files.writeString(clientKeyPem(), "-----BEGIN PRIVATE KEY-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(key.getEncoded())
                + "\n-----END PRIVATE KEY-----\n");
    }

    /** NAME.p12 with a key pair whose certificate (NAME.pem) the CA signed, chained to the CA certificate. */
    private void signed(String name, String dn, String extension) throws IOException {
        String store = name + ".p12";
        keytool("-genkeypair", "-alias", name, "-dname", dn, "-keystore", store);
        keytool("-certreq", "-alias", name, "-keystore", store, "-file", name + ".csr");
        List<String> gencert = new ArrayList<>(List.of("-gencert", "-rfc", "-alias", "ca", "-keystore", "ca.p12",
                "-infile", name + ".csr", "-outfile", name + ".pem"));
        if (extension != null) {
            gencert.addAll(List.of("-ext", extension));
        }
        keytool(gencert.toArray(String[]::new));
        Path chain = dir.resolve(name + "-chain.pem");
        Files.writeString(chain, Files.readString(dir.resolve(name + ".pem")) + Files.readString(caPem()));
        keytool("-importcert", "-noprompt", "-alias", name, "-file", chain.getFileName().toString(),
                "-keystore", store);
    }

    private void keytool(String... args) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
        command.addAll(List.of(args));
        command.addAll(List.of("-storetype", "PKCS12", "-storepass", storePassword));
        if (args[0].equals("-genkeypair")) {
            command.addAll(List.of("-keyalg", "EC", "-groupname", "secp256r1", "-validity", "2"));
        }
        Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        try {
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException("keytool " + args[0] + " did not finish within 60 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
        if (p.exitValue() != 0) {
            throw new IOException("keytool " + String.join(" ", args) + " failed: "
                    + new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
        }
    }
}
