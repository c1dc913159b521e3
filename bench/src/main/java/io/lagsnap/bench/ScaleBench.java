package io.lagsnap.bench;

import io.lagsnap.testkit.KafkaBroker;
import io.lagsnap.testkit.PushgatewayServer;
import io.lagsnap.testkit.Scenario;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Large snapshots within a 256 MB heap: the CLI through its launcher (AppCDS, its flags, {@code -Xmx256m}) on one
 * cluster of the {@link Workload}, time lag on, delivering to every configured sink, optionally as N shards (one
 * process after the other, each {@code --shard i/N}), whose NDJSON rows must add up to every group-partition exactly
 * once. Appends a Markdown row per process to {@code --out}. {@code --encoding} times the streaming encoders
 * instead.
 */
@Command(name = "scale", mixinStandardHelpOptions = true, description = "lagsnap at scale within -Xmx256m.")
public final class ScaleBench implements Callable<Integer> {
    private static final Duration TIMEOUT = Duration.ofMinutes(20);

    @Option(names = "--root", required = true, paramLabel = "DIR", description = "the repository root")
    Path root;

    @Option(names = "--point", defaultValue = "5000x50", paramLabel = "GxP", description = "default: ${DEFAULT-VALUE}")
    String point;

    @Option(names = "--granularity", defaultValue = "topic", description = "topic or partition")
    String granularity;

    @Option(names = "--sinks", defaultValue = "json,prometheus,object_store,pushgateway", split = ",",
            description = "sinks to deliver to (default: ${DEFAULT-VALUE})")
    List<String> sinks;

    @Option(names = "--shards", defaultValue = "1", split = ",", paramLabel = "N",
            description = "shard counts to run on the same cluster, e.g. 1,4 (default: ${DEFAULT-VALUE})")
    List<Integer> shardCounts;

    @Option(names = "--encoding", description = "time the encoders on 1,000 x 50 rows, warm, and exit")
    boolean encoding;

    @Option(names = "--out", paramLabel = "FILE", description = "Markdown file the results are appended to")
    Path out;

    @Option(names = "--keep", paramLabel = "DIR", description = "keep each shard's config, stderr, GC log, outputs "
            + "and, on OutOfMemoryError, heap dump under DIR (default: a temporary directory, deleted)")
    Path keep;

    @Option(names = "--jvm-option", paramLabel = "OPTION", description = "an extra option for every lagsnap JVM, "
            + "e.g. -XX:OnOutOfMemoryError=SCRIPT (repeatable)")
    List<String> jvmOptions = List.of();

    public static void main(String[] args) {
        System.exit(new CommandLine(new ScaleBench()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        if (encoding) {
            StringBuilder table = new StringBuilder(
                    "\n| encoder (50,000 rows, warm) | bytes | wall | CPU |\n|---|--:|--:|--:|\n");
            for (EncodingBench.Result r : EncodingBench.run(1000, 50)) {
                table.append(String.format(Locale.ROOT, "| %s | %,d | %.1f ms | %.1f ms |%n", r.encoder(),
                        r.bytes(), r.medianMs(), r.medianCpuMs()));
            }
            report(table.append("Load average: ").append(Machine.loadAverage()).append('\n').toString());
            return 0;
        }
        SweepPoint sweepPoint = SweepPoint.parse(point);
        Workload workload = Workload.of(sweepPoint);
        Path jar = root.resolve("cronjob/target/lagsnap.jar");
        Path dir = keep != null ? Files.createDirectories(keep) : Files.createTempDirectory("lagsnap-scale-");
        try (KafkaBroker broker = KafkaBroker.start(); Scenario scenario = broker.scenario();
             PushgatewayServer gateway = PushgatewayServer.start()) {
            long built = System.nanoTime();
            workload.build(scenario, System.currentTimeMillis());
            progress("built " + sweepPoint + " in " + Duration.ofNanos(System.nanoTime() - built).toSeconds() + " s");
            for (int shards : shardCounts) {
                report(runShards(sweepPoint, workload, shards, broker, gateway, jar, dir));
            }
            return 0;
        } finally {
            if (keep == null) {
                Bench.deleteRecursively(dir);
            }
        }
    }

    /** The CLI as {@code shards} processes, one after the other; a Markdown table of them. */
    private String runShards(SweepPoint sweepPoint, Workload workload, int shards, KafkaBroker broker,
                             PushgatewayServer gateway, Path jar, Path dir) throws Exception {
        StringBuilder table = new StringBuilder(String.format(Locale.ROOT,
                "%n%s group-partitions, granularity %s, sinks %s, %d shard(s); load %s at start%n%n"
                        + "| shard | exit | rows | wall | heap | live after full GC | RSS |%n"
                        + "|---|--:|--:|--:|--:|--:|--:|%n",
                sweepPoint.label(), granularity, String.join(", ", sinks), shards, Machine.loadAverage()));
        Set<String> union = new HashSet<>();
        long duplicates = 0;
        for (int i = 0; i < shards; i++) {
            Path shardDir = Files.createDirectories(dir.resolve(shards + "-shards-" + i));
            // the object store's file:// bucket is a directory that must exist, as a bucket must
            Files.createDirectories(shardDir.resolve("store"));
            Path config = Files.writeString(shardDir.resolve("config.toml"),
                    config(broker.bootstrapServers(), gateway.url(), shardDir));
            Path gcLog = shardDir.resolve("gc.log");
            List<String> options = new ArrayList<>(List.of(GcLog.option(gcLog), "-XX:+HeapDumpOnOutOfMemoryError",
                    "-XX:HeapDumpPath=" + shardDir));
            options.addAll(jvmOptions);
            List<String> command = Lagsnap.command(jar, Lagsnap.Launch.LAUNCHER, options,
                    List.of("--config", config.toString(), "--shard", i + "/" + shards));
            progress("shard " + i + "/" + shards);
            JavaProcess.Result result = JavaProcess.run(command, "", shardDir.resolve("stderr"), TIMEOUT);
            Lagsnap.Run run = Lagsnap.fromCli(result);
            if (run.exitCode() != 0) {
                progress("shard " + i + " exited " + run.exitCode() + ": " + run.report());
            }
            // a failed shard may have written no rows: the union then falls short, and the table says so
            if (sinks.contains("json") && Files.exists(shardDir.resolve("rows.ndjson"))) {
                duplicates += addRows(shardDir.resolve("rows.ndjson"), union);
            }
            List<String> gc = Files.readAllLines(gcLog);
            table.append(String.format(Locale.ROOT, "| %d/%d | %d | %,d | %,d ms | %s | %s | %s |%n", i, shards,
                    run.exitCode(), run.rows(), run.wallMs(), mb(GcLog.peakHeapKb(gc)),
                    mb(GcLog.liveAfterFullGcKb(gc)), mb(result.peakRssKb())));
        }
        if (sinks.contains("json")) {
            table.append(String.format(Locale.ROOT, "%nUnion of the shards' NDJSON rows: %,d distinct "
                    + "group-partitions of %,d expected, %d duplicates.%n", union.size(), workload.rows(),
                    duplicates));
        }
        return table.append("Load average at end: ").append(Machine.loadAverage()).append('\n').toString();
    }

    private String config(String bootstrap, String gatewayUrl, Path dir) {
        StringBuilder toml = new StringBuilder("""
                [exporter]
                granularity = "%s"
                [run]
                deadline = "600s"
                [[clusters]]
                name = "bench"
                bootstrap_servers = "%s"
                """.formatted(granularity, bootstrap));
        for (String sink : sinks) {
            toml.append("[[sinks]]\n").append(switch (sink) {
                case "json" -> "type = \"file\"\nformat = \"json\"\npath = \"" + dir.resolve("rows.ndjson") + "\"\n";
                case "prometheus" -> "type = \"file\"\nformat = \"prometheus\"\npath = \"" + dir.resolve("m.prom")
                        + "\"\n";
                case "object_store" -> "type = \"object_store\"\nurl = \"file://" + dir.resolve("store") + "\"\n";
                // encoding and the gateway's parsing of 650,000 series outlast the 10 s default on a busy machine
                case "pushgateway" -> "type = \"pushgateway\"\nurl = \"" + gatewayUrl + "\"\ntimeout = \"300s\"\n";
                default -> throw new IllegalArgumentException("unknown sink " + sink);
            }).append("name = \"").append(sink).append("\"\n");
        }
        return toml.toString();
    }

    /** Adds each row's group/topic/partition to {@code union}; returns how many were there already. */
    private static long addRows(Path ndjson, Set<String> union) throws IOException {
        long duplicates = 0;
        try (BufferedReader in = Files.newBufferedReader(ndjson)) {
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                String key = field(line, "group") + "\u0000" + field(line, "topic") + "\u0000"
                        + field(line, "partition");
                if (!union.add(key)) {
                    duplicates++;
                }
            }
        }
        return duplicates;
    }

    /** A field's raw value in one NDJSON row of known, flat shape (bench names need no unescaping). */
    static String field(String row, String name) {
        String marker = "\"" + name + "\":";
        int start = row.indexOf(marker) + marker.length();
        int end = row.indexOf(',', start);
        return row.substring(start, end < 0 ? row.length() - 1 : end);
    }

    private void report(String text) throws IOException {
        System.out.print(text);
        if (out != null) {
            Files.writeString(out, text, StandardCharsets.UTF_8, java.nio.file.StandardOpenOption.CREATE,
                    java.nio.file.StandardOpenOption.APPEND);
        }
    }

    private static String mb(Long kb) {
        return kb == null ? "–" : String.format(Locale.ROOT, "%,d MB", Math.round(kb / 1024.0));
    }

    private static void progress(String message) {
        System.err.println("scale: " + message);
    }
}
