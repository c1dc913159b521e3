package io.lagsnap.testkit;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.stream.Stream;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * A real S3 API server: s3proxy (jar-with-dependencies) as a subprocess on a free loopback port, with in-memory
 * ("transient") storage and AWS v2/v4 signature checks. In-process its dependencies would clash with the SDKs on
 * the test class path.
 *
 * <p>The jar is the one the using module's build copies with maven-dependency-plugin (org.gaul:s3proxy,
 * classifier jar-with-dependencies) and names in the system property {@code s3proxy.jar}. The AWS SDK is an
 * optional dependency of the test kit: {@link #client} needs {@code s3} and {@code url-connection-client} on the
 * module's test class path.
 */
public final class S3ProxyServer implements AutoCloseable {
    public static final String ACCESS_KEY = "lagsnap-test-access";
    public static final String SECRET_KEY = "lagsnap-test-secret";
    private static final Duration STARTUP = Duration.ofSeconds(60);

    private final ExternalProcess process;
    private final Path dir;
    private final URI endpoint;

    private S3ProxyServer(ExternalProcess process, Path dir, URI endpoint) {
        this.process = process;
        this.dir = dir;
        this.endpoint = endpoint;
    }

    /** Starts s3proxy and waits until it accepts connections. */
    public static S3ProxyServer start() throws IOException {
        String property = System.getProperty("s3proxy.jar");
        if (property == null || !Files.isRegularFile(Path.of(property))) {
            throw new IllegalStateException("s3proxy jar not found at system property s3proxy.jar = " + property
                    + " (the module's build copies it in process-test-resources)");
        }
        int port = ExternalProcess.freePort();
        Path dir = Files.createTempDirectory("s3proxy-");
        Path properties = Files.writeString(dir.resolve("s3proxy.properties"), String.join("\n",
                "s3proxy.endpoint=http://127.0.0.1:" + port,
                "s3proxy.authorization=aws-v2-or-v4",
                "s3proxy.identity=" + ACCESS_KEY,
                "s3proxy.credential=" + SECRET_KEY,
                "jclouds.provider=transient",
                "jclouds.identity=unused",
                "jclouds.credential=unused",
                ""));
        ExternalProcess process = ExternalProcess.start("s3proxy", new ProcessBuilder(ExternalProcess.java(),
                "-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                "-jar", property, "--properties", properties.toString()), dir.resolve("s3proxy.log"));
        process.awaitListening(port, STARTUP);
        return new S3ProxyServer(process, dir, URI.create("http://127.0.0.1:" + port));
    }

    public URI endpoint() {
        return endpoint;
    }

    /** A client of the test itself (creating buckets, reading back), not the code under test's. */
    public S3Client client(String accessKey, String secretKey) {
        return S3Client.builder()
                .httpClient(UrlConnectionHttpClient.create())
                .endpointOverride(endpoint)
                .forcePathStyle(true)
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(accessKey, secretKey)))
                .build();
    }

    /** {@link #client(String, String)} with the server's own credentials. */
    public S3Client client() {
        return client(ACCESS_KEY, SECRET_KEY);
    }

    @Override
    public void close() throws IOException {
        process.close();
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
