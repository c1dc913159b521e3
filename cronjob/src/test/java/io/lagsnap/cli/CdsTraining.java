package io.lagsnap.cli;

import io.lagsnap.testkit.DemoWorkload;
import io.lagsnap.testkit.KafkaBroker;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Builds the AppCDS archive at package time (cronjob/pom.xml runs it; not a test). The training is one real cycle of
 * the packaged jar against the test kit's broker with the README demo's workload (lagging, live, compacted and
 * data-loss groups, time lag sampled) and both file encodings, so the list of classes it loads includes the Admin and
 * consumer clients and Kafka's request and response message classes, which an unreachable broker never loads. That
 * list, {@code lagsnap.classlist}, does not depend on where the jar is; the archive dumped from it does (the JVM
 * checks the jar's path, size and mtime, and its own build), so the launcher {@code lagsnap} next to the jar
 * (src/main/dist) dumps it, and again whenever its stamp, {@code lagsnap.jsa.stamp}, does not name the jar and JDK
 * it is run with.
 *
 * <p>Arguments: the jar (with the launcher beside it), the work directory. Writes lagsnap.classlist next to the jar
 * and has the launcher dump lagsnap.jsa and lagsnap.jsa.stamp there.
 */
public final class CdsTraining {
    /** The JVM flags of the launcher (src/main/dist/lagsnap): the archive is trained with the flags it is used with. */
    static final List<String> RUN_FLAGS = List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xmx256m");

    private CdsTraining() {
    }

    public static void main(String[] args) throws Exception {
        Path jar = Path.of(args[0]).toRealPath();
        Path work = Files.createDirectories(Path.of(args[1]));
        Path classList = jar.resolveSibling("lagsnap.classlist");
        Path archive = jar.resolveSibling("lagsnap.jsa");
        // no stamp, no archive: the launcher dumps a new one from the new list
        Files.deleteIfExists(archive);
        Files.deleteIfExists(jar.resolveSibling("lagsnap.jsa.stamp"));
        try (KafkaBroker broker = KafkaBroker.start()) {
            DemoWorkload.build(broker, System.currentTimeMillis());
            Path config = Files.writeString(work.resolve("config.toml"), """
                    [exporter]
                    granularity = "partition"
                    [[clusters]]
                    name = "cds-training"
                    bootstrap_servers = "%s"
                    [[sinks]]
                    type = "file"
                    name = "rows"
                    path = "%s"
                    format = "json"
                    [[sinks]]
                    type = "file"
                    name = "metrics"
                    path = "%s"
                    format = "prometheus"
                    """.formatted(broker.bootstrapServers(), work.resolve("rows.ndjson"),
                    work.resolve("metrics.prom")));
            List<String> training = new ArrayList<>(List.of(java(), "-XX:DumpLoadedClassList=" + classList));
            training.addAll(RUN_FLAGS);
            training.addAll(List.of("-jar", jar.toString(), "--config", config.toString()));
            run(training, work.resolve("training.log"));
        }
        // the launcher dumps the archive from the list and stamps it with the jar and JDK, in its own format
        Path version = work.resolve("version.log");
        run(List.of(jar.resolveSibling("lagsnap").toString(), "--version"), version);
        if (!Files.readString(version).contains("AppCDS archive: used")) {
            throw new IllegalStateException("the launcher did not use the archive it dumped; see " + version + " and "
                    + jar.resolveSibling("lagsnap.jsa.log"));
        }
    }

    private static void run(List<String> command, Path log) throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        // the launcher's JDK: this one, the JDK the class list was trained with
        builder.environment().put("JAVA_HOME", System.getProperty("java.home"));
        Process process = builder.start();
        if (!process.waitFor(5, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            throw new IllegalStateException("timed out: " + String.join(" ", command) + "; see " + log);
        }
        if (process.exitValue() != 0) {
            throw new IllegalStateException("exit " + process.exitValue() + ": " + String.join(" ", command)
                    + "; see " + log);
        }
    }

    private static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }
}
