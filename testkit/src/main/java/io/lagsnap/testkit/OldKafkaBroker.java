package io.lagsnap.testkit;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.FinalizedVersionRange;
import org.apache.kafka.common.Uuid;

/**
 * An older Kafka broker (the root pom's {@code kafka-old.version}) in a child JVM, one combined KRaft
 * broker+controller on free loopback ports, formatted with share groups on ({@code share.version=1}). Its classes
 * clash with the test kit's Kafka, so it runs from its own class path: the resource
 * {@value #CLASSPATH_RESOURCE}, which the module {@code lagsnap-old-kafka} resolves at build time (the using
 * module adds it as a test dependency).
 */
public final class OldKafkaBroker implements AutoCloseable {
    static final String CLASSPATH_RESOURCE = "lagsnap-old-kafka.classpath";
    private static final Duration STARTUP = Duration.ofSeconds(60);
    private static final List<String> JVM = List.of("-Xmx384m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
            "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn");

    private final ExternalProcess process;
    private final Path dir;
    private final String bootstrapServers;
    private final Admin admin;

    private OldKafkaBroker(ExternalProcess process, Path dir, String bootstrapServers, Admin admin) {
        this.process = process;
        this.dir = dir;
        this.bootstrapServers = bootstrapServers;
        this.admin = admin;
    }

    /** Formats a fresh log directory, starts the broker and waits until share groups are enabled on it. */
    public static OldKafkaBroker start() throws IOException {
        String classpath = classpath();
        int brokerPort = ExternalProcess.freePort();
        int controllerPort = ExternalProcess.freePort();
        Path dir = Files.createTempDirectory("old-kafka-");
        Path properties = Files.writeString(dir.resolve("server.properties"),
                serverProperties(dir.resolve("data"), brokerPort, controllerPort));
        format(classpath, properties, dir.resolve("format.log"));
        List<String> command = new ArrayList<>(List.of(ExternalProcess.java()));
        command.addAll(JVM);
        command.addAll(List.of("-cp", classpath, "kafka.Kafka", properties.toString()));
        ExternalProcess process = ExternalProcess.start("old Kafka broker", new ProcessBuilder(command),
                dir.resolve("broker.log"));
        process.awaitListening(brokerPort, STARTUP);
        String bootstrap = "127.0.0.1:" + brokerPort;
        Admin admin = Admin.create(Map.of(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrap));
        try {
            process.awaitReady(STARTUP, () -> shareVersion(admin) == 1);
        } catch (RuntimeException e) {
            admin.close();
            throw e;
        }
        return new OldKafkaBroker(process, dir, bootstrap, admin);
    }

    public String bootstrapServers() {
        return bootstrapServers;
    }

    /** The minimal client configuration to reach this broker: {@code bootstrap.servers}. */
    public Map<String, Object> clientConfig() {
        return Map.of(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    }

    /** One Admin (a test kit release client) shared by all callers; closed with the broker. */
    public Admin admin() {
        return admin;
    }

    private static String classpath() throws IOException {
        try (InputStream in = OldKafkaBroker.class.getClassLoader().getResourceAsStream(CLASSPATH_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("resource " + CLASSPATH_RESOURCE + " not on the class path: add "
                        + "io.lagsnap:lagsnap-old-kafka as a test dependency of the module");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).strip();
        }
    }

    /** The test kit's broker defaults, on one combined node listening on loopback only. */
    private static String serverProperties(Path data, int brokerPort, int controllerPort) {
        Map<String, String> props = new TreeMap<>(BrokerDefaults.forBrokers(1));
        props.put("process.roles", "broker,controller");
        props.put("node.id", "1");
        props.put("controller.quorum.voters", "1@127.0.0.1:" + controllerPort);
        props.put("listeners", "PLAINTEXT://127.0.0.1:" + brokerPort + ",CONTROLLER://127.0.0.1:" + controllerPort);
        props.put("advertised.listeners", "PLAINTEXT://127.0.0.1:" + brokerPort);
        props.put("controller.listener.names", "CONTROLLER");
        props.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        props.put("inter.broker.listener.name", "PLAINTEXT");
        props.put("log.dirs", data.toString());
        return props.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
                .collect(Collectors.joining("\n", "", "\n"));
    }

    /** kafka-storage format, with share groups enabled from the start (a preview feature before 4.2). */
    private static void format(String classpath, Path properties, Path log) throws IOException {
        List<String> command = new ArrayList<>(List.of(ExternalProcess.java()));
        command.addAll(JVM);
        command.addAll(List.of("-cp", classpath, "kafka.tools.StorageTool", "format",
                "-t", Uuid.randomUuid().toString(), "-c", properties.toString(), "--feature", "share.version=1"));
        Process format = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try {
            if (!format.waitFor(STARTUP.toSeconds(), TimeUnit.SECONDS)) {
                format.destroyForcibly();
                throw new IllegalStateException("kafka-storage format did not finish in " + STARTUP);
            }
        } catch (InterruptedException e) {
            format.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted formatting the old Kafka broker", e);
        }
        if (format.exitValue() != 0) {
            throw new IllegalStateException("kafka-storage format exited with " + format.exitValue() + ":\n"
                    + Files.readString(log));
        }
    }

    private static short shareVersion(Admin admin) throws Exception {
        FinalizedVersionRange range = admin.describeFeatures().featureMetadata().get(5, TimeUnit.SECONDS)
                .finalizedFeatures().get("share.version");
        return range == null ? 0 : range.maxVersionLevel();
    }

    @Override
    public void close() throws IOException {
        admin.close(Duration.ofSeconds(5));
        process.close();
        try (var paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
