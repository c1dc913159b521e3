package io.lagsnap.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lagsnap.core.config.ConfigLoader;
import io.lagsnap.core.config.LagsnapConfig;
import io.lagsnap.core.report.RunReport;
import io.lagsnap.core.run.Runner;
import io.lagsnap.sink.api.Deadline;
import io.lagsnap.sink.api.model.Shard;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * lagsnap on the benchmark cluster, the same way in-process and as the CLI: one config file per {@link Setting}, each
 * with two file sinks (NDJSON rows and Prometheus text), so a cycle includes delivery and both encodings.
 */
final class Lagsnap {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** The configurations measured. */
    enum Setting {
        /** The defaults: granularity "topic" (klag-exporter's), time lag sampled. */
        TIME_LAG(true, null),
        NO_TIME_LAG(false, null),
        /** Per-partition consumer series too: six series per group-partition, the heaviest encoding. */
        PARTITION_SERIES(true, "partition");

        private final boolean timeLag;
        private final String granularity;

        Setting(boolean timeLag, String granularity) {
            this.timeLag = timeLag;
            this.granularity = granularity;
        }

        String fileName() {
            return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
        }
    }

    /** What one run reported, checked against the workload before it counts. */
    record Run(long wallMs, int exitCode, long rows, long samplesMissed, String report) {
        Run verified(long expectedRows) {
            if (exitCode != 0 || rows != expectedRows || samplesMissed != 0) {
                throw new IllegalStateException("lagsnap run is not a full snapshot (expected exit 0, " + expectedRows
                        + " rows, no missed samples): " + report);
            }
            return this;
        }
    }

    private final String bootstrapServers;
    private final Path dir;

    Lagsnap(String bootstrapServers, Path dir) {
        this.bootstrapServers = bootstrapServers;
        this.dir = dir;
    }

    /** The config file of one setting, written on first use. */
    Path config(Setting setting) {
        String name = setting.fileName();
        Path file = dir.resolve(name + ".toml");
        if (Files.exists(file)) {
            return file;
        }
        String toml = """
                [exporter]
                %s
                [exporter.timestamp_sampling]
                enabled = %s
                [run]
                deadline = "120s"
                [[clusters]]
                name = "bench"
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
                """.formatted(setting.granularity == null ? "" : "granularity = \"" + setting.granularity + "\"",
                setting.timeLag, bootstrapServers, dir.resolve(name + ".ndjson"), dir.resolve(name + ".prom"));
        try {
            Files.writeString(file, toml);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return file;
    }

    /** One full cycle in this JVM, as an adapter runs it: load the config, run, deliver to both sinks. */
    Run inProcess(Setting setting) {
        long start = System.nanoTime();
        LagsnapConfig config = ConfigLoader.withSystemEnv().load(config(setting));
        RunReport report = Runner.standard().run(config, Deadline.after(config.run().deadline()), Shard.ALL);
        long wallMs = (System.nanoTime() - start) / 1_000_000;
        return fromReport(wallMs, report.toJson());
    }

    /** How a cold CLI run starts its JVM. */
    enum Launch {
        /** {@code java -Xmx256m -jar lagsnap.jar}. */
        PLAIN,
        /**
         * The launcher next to the jar (cronjob/target/lagsnap), as the README recommends: the AppCDS archive and the
         * launcher's flags, with this benchmark's JDK.
         */
        LAUNCHER
    }

    /** The CLI with one setting's config; {@code gcLog} receives the JVM's GC log. */
    List<String> cliCommand(Path jar, Launch launch, Setting setting, Path gcLog) {
        return command(jar, launch, List.of(GcLog.option(gcLog)), List.of("--config", config(setting).toString()));
    }

    /**
     * The CLI as a cold JVM with a 256 MB heap bound (the launcher's own), extra JVM options and CLI arguments. The
     * launcher takes the options from LAGSNAP_JAVA_OPTS, a list split at spaces.
     */
    static List<String> command(Path jar, Launch launch, List<String> jvmOptions, List<String> args) {
        List<String> command = new ArrayList<>();
        if (launch == Launch.PLAIN) {
            command.addAll(List.of(JavaProcess.java(), "-Xmx256m"));
            command.addAll(jvmOptions);
            command.addAll(List.of("-jar", jar.toString()));
        } else {
            if (jvmOptions.stream().anyMatch(o -> o.chars().anyMatch(Character::isWhitespace))) {
                throw new IllegalArgumentException("the launcher splits JVM options at spaces: " + jvmOptions);
            }
            command.addAll(List.of("env", "JAVA_HOME=" + System.getProperty("java.home"),
                    "LAGSNAP_JAVA_OPTS=" + String.join(" ", jvmOptions), jar.resolveSibling("lagsnap").toString()));
        }
        command.addAll(args);
        return command;
    }

    /** A CLI run's result, from the run report it prints as one JSON line on stderr. */
    static Run fromCli(JavaProcess.Result result) {
        String report = result.stderr().stream().filter(l -> l.startsWith("{\"run_id\"")).reduce((a, b) -> b)
                .orElseThrow(() -> new IllegalStateException("lagsnap CLI exited " + result.exitCode()
                        + " without a run report: " + String.join("\n", result.stderr())));
        Run run = fromReport(result.wallMs(), report);
        return new Run(run.wallMs(), result.exitCode(), run.rows(), run.samplesMissed(), run.report());
    }

    private static Run fromReport(long wallMs, String reportJson) {
        try {
            JsonNode report = JSON.readTree(reportJson);
            JsonNode cluster = report.path("clusters").path(0);
            return new Run(wallMs, report.path("exit_code").asInt(-1), cluster.path("rows").asLong(-1),
                    cluster.path("sampling").path("missed").asLong(-1), reportJson);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
