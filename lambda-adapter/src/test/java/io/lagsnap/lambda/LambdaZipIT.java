package io.lagsnap.lambda;

import static org.assertj.core.api.Assertions.assertThat;

import io.lagsnap.sink.api.SinkProvider;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.TreeSet;
import java.util.jar.JarInputStream;
import java.util.zip.ZipEntry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the deployment zip holds, and what it must never hold. */
class LambdaZipIT {
    private static final Path ZIP = Path.of(System.getProperty("lambda.zip"));
    /** Broker-side Kafka, its test runtime and Scala: a Lambda only ever talks to Kafka as a client. */
    private static final List<String> FORBIDDEN_JAR_PREFIXES = List.of("kafka_2.13", "kafka-server", "kafka-storage",
            "kafka-raft", "kafka-metadata", "kafka-test-common-runtime", "scala", "kafka-tools", "kafka-group-coordinator",
            "kafka-transaction-coordinator", "google-", "gax", "grpc-", "proto-google", "api-common");

    static FileSystem zip;

    @BeforeAll
    static void open() throws IOException {
        zip = FileSystems.newFileSystem(ZIP, Map.of());
    }

    @AfterAll
    static void close() throws IOException {
        zip.close();
    }

    private static List<String> libJars() throws IOException {
        try (var files = Files.list(zip.getPath("/lib"))) {
            return files.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void handlerClassesAreAtTheRootAndDependenciesUnderLib() throws IOException {
        assertThat(zip.getPath("/io/lagsnap/lambda/LagsnapHandler.class")).exists();
        assertThat(zip.getPath("/META-INF/services/org.slf4j.spi.SLF4JServiceProvider")).content()
                .isEqualTo("io.lagsnap.lambda.logging.JsonLinesProvider\n");
        assertThat(libJars()).allMatch(n -> n.endsWith(".jar")).contains(
                "aws-lambda-java-core-1.4.0.jar", "aws-msk-iam-auth-2.3.2.jar",
                // the SDK's version from the root pom, which a bump changes
                "url-connection-client-" + System.getProperty("awssdk.version") + ".jar");
        assertThat(libJars()).anyMatch(n -> n.startsWith("kafka-clients-")).anyMatch(n -> n.startsWith("s3-"));
    }

    @Test
    void noBrokerSideKafkaScalaOrGoogleJars() throws IOException {
        assertThat(libJars()).noneMatch(n -> FORBIDDEN_JAR_PREFIXES.stream().anyMatch(n::startsWith));
    }

    /** Catches the same classes arriving inside some other jar (a shaded or fat dependency). */
    @Test
    void noBrokerSideKafkaScalaOrGoogleClassesInAnyJar() throws IOException {
        List<String> offending = new ArrayList<>();
        for (String jar : libJars()) {
            try (InputStream in = Files.newInputStream(zip.getPath("/lib", jar)); var entries = new JarInputStream(in)) {
                for (ZipEntry e = entries.getNextEntry(); e != null; e = entries.getNextEntry()) {
                    String n = e.getName();
                    if (n.endsWith(".class") && (n.startsWith("kafka/") || n.startsWith("scala/") || n.startsWith("com/google/cloud/")
                            || n.startsWith("com/google/api/gax/") || n.startsWith("io/grpc/"))) {
                        offending.add(jar + "!/" + n);
                    }
                }
            }
        }
        assertThat(offending).isEmpty();
    }

    @Test
    void everySinkIsRegisteredForTheServiceLoader(@TempDir Path dir) throws IOException {
        List<URL> urls = new ArrayList<>();
        for (String jar : libJars()) {
            if (jar.startsWith("lagsnap-")) {
                Path copy = Files.copy(zip.getPath("/lib", jar), dir.resolve(jar));
                urls.add(copy.toUri().toURL());
                // the API artifact provides no sink; core and every sink module do
                if (!jar.startsWith("lagsnap-sink-api-")) {
                    assertThat(servicesIn(copy)).as(jar).isNotEmpty();
                }
            }
        }
        assertThat(urls).hasSize(6);
        try (URLClassLoader loader = new URLClassLoader(urls.toArray(URL[]::new), getClass().getClassLoader())) {
            TreeSet<String> types = new TreeSet<>();
            ServiceLoader.load(SinkProvider.class, loader).forEach(p -> types.add(p.type()));
            assertThat(types).containsExactly("file", "kip714", "object_store", "otlp", "pushgateway", "stdout");
        }
    }

    private static String servicesIn(Path jar) throws IOException {
        try (FileSystem fs = FileSystems.newFileSystem(URI.create("jar:" + jar.toUri()), Map.of())) {
            Path services = fs.getPath("/META-INF/services/io.lagsnap.sink.api.SinkProvider");
            return Files.exists(services) ? Files.readString(services).trim() : "";
        }
    }
}
