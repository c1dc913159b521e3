package io.lagsnap.gcf;

import static org.assertj.core.api.Assertions.assertThat;

import io.lagsnap.sink.api.SinkProvider;
import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.ServiceLoader;
import java.util.TreeSet;
import java.util.jar.JarFile;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.Test;

/** The deploy archive: one jar at the root holding both functions and the sinks, and no AWS SDK. */
class GcfZipIT {
    private static final Path ZIP = Path.of(System.getProperty("gcf.zip"));
    private static final Path JAR = Path.of(System.getProperty("gcf.jar"));

    @Test
    void zipHoldsExactlyTheFunctionJarAtItsRoot() throws IOException {
        try (ZipFile zip = new ZipFile(ZIP.toFile())) {
            assertThat(Collections.list(zip.entries())).extracting(ZipEntry::getName).containsExactly("lagsnap-gcf.jar");
            assertThat(zip.getEntry("lagsnap-gcf.jar").getSize()).isEqualTo(Files.size(JAR));
        }
    }

    @Test
    void jarHoldsBothEntryPoints() throws IOException {
        try (JarFile jar = new JarFile(JAR.toFile())) {
            assertThat(jar.getEntry("io/lagsnap/gcf/LagsnapHttpFunction.class")).isNotNull();
            assertThat(jar.getEntry("io/lagsnap/gcf/LagsnapCloudEventFunction.class")).isNotNull();
            assertThat(jar.getEntry("com/google/cloud/storage/Storage.class")).isNotNull();
        }
    }

    /** sasl.login.callback.handler.class for Managed Kafka's OAUTHBEARER must load from the jar alone. */
    @Test
    void managedKafkaLoginHandlerLoadsWithItsDependencies() throws IOException, ClassNotFoundException {
        try (URLClassLoader loader = new URLClassLoader(new URL[] {JAR.toUri().toURL()}, null)) {
            Class<?> handler = Class.forName("com.google.cloud.hosted.kafka.auth.GcpLoginCallbackHandler", true, loader);
            Class<?> kafkaSpi = Class.forName(
                    "org.apache.kafka.common.security.auth.AuthenticateCallbackHandler", false, loader);
            // instantiating it would look for Application Default Credentials, which only exist on Google Cloud
            assertThat(kafkaSpi.isAssignableFrom(handler)).isTrue();
        }
    }

    /** No AWS SDK (the Lambda's), no broker-side Kafka or Scala, and no Functions Framework API (the runtime's). */
    @Test
    void jarCarriesNoAwsSdkNoBrokerSideKafkaAndNoFrameworkApi() throws IOException {
        List<String> offending = new ArrayList<>();
        try (JarFile jar = new JarFile(JAR.toFile())) {
            for (ZipEntry e : Collections.list(jar.entries())) {
                String n = e.getName();
                if (n.endsWith(".class") && (n.startsWith("software/amazon/") || n.startsWith("com/amazonaws/")
                        || n.startsWith("kafka/") || n.startsWith("scala/") || n.startsWith("org/apache/kafka/common/test/")
                        || n.startsWith("com/google/cloud/functions/"))) {
                    offending.add(n);
                }
            }
        }
        assertThat(offending).isEmpty();
    }

    @Test
    void everySinkIsRegisteredForTheServiceLoader() throws IOException {
        try (URLClassLoader loader = new URLClassLoader(new URL[] {JAR.toUri().toURL()}, null)) {
            TreeSet<String> types = new TreeSet<>();
            for (SinkProviderType p : providerTypes(loader)) {
                types.add(p.type());
            }
            assertThat(types).containsExactly("file", "kip714", "object_store", "otlp", "pushgateway", "stdout");
        }
    }

    private record SinkProviderType(String type) {
    }

    /** Loads the providers inside the jar's own class loader (isolated, as the invoker isolates functions). */
    private static List<SinkProviderType> providerTypes(ClassLoader loader) {
        List<SinkProviderType> out = new ArrayList<>();
        try {
            Class<?> spi = Class.forName(SinkProvider.class.getName(), true, loader);
            for (Object provider : ServiceLoader.load(spi, loader)) {
                out.add(new SinkProviderType((String) spi.getMethod("type").invoke(provider)));
            }
        } catch (ReflectiveOperationException e) {
            throw new AssertionError(e);
        }
        return out;
    }
}
