package io.lagsnap.sink.objectstore;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * A real S3 API server: s3proxy (jar-with-dependencies, copied under target/ by the build) as a subprocess on a free
 * loopback port, with in-memory ("transient") storage and AWS v2/v4 signature checks. In-process its dependencies
 * would clash with the SDKs on the test class path.
 */
final class S3Proxy implements AutoCloseable {
    static final String ACCESS_KEY = "lagsnap-test-access";
    static final String SECRET_KEY = "lagsnap-test-secret";
    private static final Duration STARTUP = Duration.ofSeconds(60);

    private final Process process;
    private final Path log;
    private final URI endpoint;

    private S3Proxy(Process process, Path log, URI endpoint) {
        this.process = process;
        this.log = log;
        this.endpoint = endpoint;
    }

    static S3Proxy start() throws IOException, InterruptedException {
        Path jar = Path.of(System.getProperty("s3proxy.jar", "target/s3proxy/s3proxy.jar"));
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException("s3proxy jar not found at " + jar + " (the build copies it in process-test-resources)");
        }
        int port = freePort();
        Path dir = jar.getParent();
        Path properties = dir.resolve("s3proxy-" + port + ".properties");
        Files.writeString(properties, String.join("\n",
                "s3proxy.endpoint=http://127.0.0.1:" + port,
                "s3proxy.authorization=aws-v2-or-v4",
                "s3proxy.identity=" + ACCESS_KEY,
                "s3proxy.credential=" + SECRET_KEY,
                "jclouds.provider=transient",
                "jclouds.identity=unused",
                "jclouds.credential=unused",
                ""));
        Path log = dir.resolve("s3proxy-" + port + ".log");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process process = new ProcessBuilder(List.of(java, "-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                "-jar", jar.toString(), "--properties", properties.toString()))
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        S3Proxy proxy = new S3Proxy(process, log, URI.create("http://127.0.0.1:" + port));
        try {
            proxy.awaitListening(port);
        } catch (IOException | RuntimeException | InterruptedException e) {
            proxy.close();
            throw e;
        }
        return proxy;
    }

    URI endpoint() {
        return endpoint;
    }

    /** A client of the test itself (creating buckets, reading back), not the sink's. */
    S3Client client(String accessKey, String secretKey) {
        return S3Client.builder()
                .httpClientBuilder(UrlConnectionHttpClient.builder())
                .endpointOverride(endpoint)
                .forcePathStyle(true)
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(accessKey, secretKey)))
                .build();
    }

    private void awaitListening(int port) throws IOException, InterruptedException {
        long end = System.nanoTime() + STARTUP.toNanos();
        while (System.nanoTime() < end) {
            if (!process.isAlive()) {
                throw new IllegalStateException("s3proxy exited with " + process.exitValue() + ":\n" + Files.readString(log));
            }
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 200);
                return;
            } catch (IOException notYet) {
                Thread.sleep(100);
            }
        }
        throw new IllegalStateException("s3proxy did not listen on " + port + " within " + STARTUP + ":\n"
                + Files.readString(log));
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
