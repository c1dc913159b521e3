package io.lagsnap.cli.security;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A certificate authority made for one test JVM with the JDK's keytool, and the PKCS12 stores signed by it: a
 * broker keystore for {@code localhost}/127.0.0.1, a client keystore for mutual TLS, and a truststore holding only
 * the CA. Nothing is reused between runs, so no key material lives in the repository.
 */
final class ThrowawayCa {
    /** The DN of the mutual-TLS client certificate; the broker's principal is {@code User:} + this. */
    static final String CLIENT_DN = "CN=lagsnap-mtls,O=lagsnap-test";

    private static ThrowawayCa instance;

    private final Path dir;
    private final String storePassword;

    private ThrowawayCa(Path dir, String storePassword) {
        this.dir = dir;
        this.storePassword = storePassword;
    }

    /** The JVM's CA, made on first use (about a dozen keytool runs). */
    static synchronized ThrowawayCa get() {
        if (instance == null) {
            try {
                Path dir = Files.createTempDirectory("lagsnap-ca");
                Runtime.getRuntime().addShutdownHook(new Thread(() -> deleteQuietly(dir)));
                ThrowawayCa ca = new ThrowawayCa(dir, "ca-store-pw-" + Long.toHexString(System.nanoTime()));
                ca.make();
                instance = ca;
            } catch (IOException e) {
                throw new IllegalStateException("cannot make the test CA", e);
            }
        }
        return instance;
    }

    private static void deleteQuietly(Path dir) {
        try (var files = Files.list(dir)) {
            for (Path f : files.toList()) {
                Files.deleteIfExists(f);
            }
            Files.deleteIfExists(dir);
        } catch (IOException e) {
            // a temp directory left behind is harmless
        }
    }

    /** The password of every store this CA wrote. */
    String storePassword() {
        return storePassword;
    }

    Path truststore() {
        return dir.resolve("truststore.p12");
    }

    Path brokerKeystore() {
        return dir.resolve("broker.p12");
    }

    Path clientKeystore() {
        return dir.resolve("client.p12");
    }

    private void make() throws IOException {
        keytool("-genkeypair", "-alias", "ca", "-dname", "CN=lagsnap-test-ca", "-ext", "bc:c",
                "-keystore", "ca.p12");
        keytool("-exportcert", "-rfc", "-alias", "ca", "-keystore", "ca.p12", "-file", "ca.pem");
        keytool("-importcert", "-noprompt", "-alias", "ca", "-file", "ca.pem", "-keystore", "truststore.p12");
        signed("broker", "CN=localhost", "san=dns:localhost,ip:127.0.0.1");
        signed("client", CLIENT_DN, null);
    }

    /** A key pair in NAME.p12 whose certificate the CA signed, stored with the CA certificate as its chain. */
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
        // the reply chain: the signed certificate followed by the CA's, so the store needs no separate CA entry
        Files.writeString(dir.resolve(name + "-chain.pem"), Files.readString(dir.resolve(name + ".pem"))
                + Files.readString(dir.resolve("ca.pem")));
        keytool("-importcert", "-noprompt", "-alias", name, "-file", name + "-chain.pem", "-keystore", store);
    }

    private void keytool(String... args) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
        command.addAll(List.of(args));
        // PKCS12 protects each key with the store password
        command.addAll(List.of("-storetype", "PKCS12", "-storepass", storePassword));
        if (args[0].equals("-genkeypair")) {
            command.addAll(List.of("-keyalg", "EC", "-groupname", "secp256r1", "-validity", "2"));
        }
        Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        try {
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException("keytool " + args[0] + " did not finish");
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
