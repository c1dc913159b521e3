package io.lagsnap.bench;

import io.lagsnap.core.sink.SinkRegistry;
import io.lagsnap.sink.api.Deadline;
import io.lagsnap.sink.api.Delivery;
import io.lagsnap.sink.api.Sink;
import io.lagsnap.sink.api.SinkContext;
import io.lagsnap.sink.api.config.SinkConfig;
import io.lagsnap.sink.api.model.ClusterSnapshot;
import io.lagsnap.sink.api.model.Granularity;
import io.lagsnap.sink.api.model.GroupState;
import io.lagsnap.sink.api.model.PartitionLag;
import io.lagsnap.sink.api.model.Shard;
import io.lagsnap.sink.api.model.Snapshot;
import io.lagsnap.sink.api.model.Watermarks;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code lagsnap history} over a week of a 1-minute schedule. The store is written by the real object_store sink
 * (file://), so its layout, row objects and per-group rollups are exactly the sink's: {@code --groups} groups per
 * run, each with {@code --partitions} partitions in the row object. The rollups are one line per group whatever the
 * partition count, so 1,000 groups give them at full size; the rows are scaled down (default 1 partition per group,
 * not 50: 50 would be ~12 GB gzipped), which only the fallback to rows feels. A second store holds hard links to the
 * row objects alone: history written before rollups existed. Each query is the shaded jar in a cold JVM, JVM and
 * DuckDB start included, timed wall and CPU (user + sys of the reaped child).
 */
@Command(name = "history-bench", mixinStandardHelpOptions = true,
        description = "Times lagsnap history over a generated week of object-store history.")
public final class HistoryBench implements Callable<Integer> {
    private static final String CLUSTER = "bench";
    private static final Duration QUERY_TIMEOUT = Duration.ofMinutes(30);

    @Option(names = "--root", required = true, paramLabel = "DIR",
            description = "the repository root (where cronjob/target/lagsnap.jar is)")
    Path root;

    @Option(names = "--dir", paramLabel = "DIR", description = "where the stores go (default: bench/target/history)")
    Path dir;

    @Option(names = "--groups", defaultValue = "1000", description = "groups per run (default: ${DEFAULT-VALUE})")
    int groups;

    @Option(names = "--partitions", defaultValue = "1",
            description = "partitions per group in the row objects (default: ${DEFAULT-VALUE})")
    int partitions;

    @Option(names = "--days", defaultValue = "7", description = "days of 1-minute runs (default: ${DEFAULT-VALUE})")
    int days;

    @Option(names = "--repeat", defaultValue = "3", description = "runs per query (default: ${DEFAULT-VALUE})")
    int repeat;

    @Option(names = "--out", paramLabel = "FILE",
            description = "result file (default: bench/results/<date>-history.md)")
    Path out;

    public static void main(String[] args) {
        System.exit(new CommandLine(new HistoryBench()).execute(args));
    }

    /** One query's runs. */
    record Timing(String store, String since, long lines, List<Long> wallMs, List<Long> cpuMs) {
    }

    @Override
    public Integer call() throws Exception {
        Path jar = root.resolve("cronjob/target/lagsnap.jar");
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " is missing: build it first (mvn -B -q -pl cronjob -am package)");
        }
        Path base = dir != null ? dir : root.resolve("bench/target/history");
        Path withRollups = base.resolve("store");
        Path rowsOnly = base.resolve("rows-only");
        Instant last = Instant.now().truncatedTo(ChronoUnit.MINUTES);
        Path stamp = base.resolve("generated-" + groups + "x" + partitions + "x" + days + "d");
        if (Files.exists(stamp)) {
            last = Instant.parse(Files.readString(stamp).trim());
            progress("reusing the stores in " + base + " (last run " + last + ")");
        } else {
            generate(withRollups, rowsOnly, last);
            Files.writeString(stamp, last + "\n");
        }
        String load = Machine.loadAverage();
        Instant first = last.minus(Duration.ofMinutes(days * 1440L - 1));
        List<Timing> timings = new ArrayList<>();
        String oneGroup = Workload.group(1);
        for (String since : List.of("all", "24h", "1h")) {
            timings.add(query(jar, withRollups, "rollups", since, List.of(), first));
        }
        timings.add(query(jar, withRollups, "rollups", "all", List.of("--group", oneGroup), first));
        timings.add(query(jar, withRollups, "rollups", "all", List.of("--step", "none"), first));
        timings.add(query(jar, withRollups, "rollups", "all", List.of("--step", "none", "--group", oneGroup), first));
        for (String since : List.of("24h", "1h")) {
            timings.add(query(jar, rowsOnly, "rows only", since, List.of(), first));
        }
        String report = report(timings, Machine.current(load).endedWith(Machine.loadAverage()), base);
        Path file = out != null ? out : root.resolve("bench/results/" + LocalDate.now() + "-history.md");
        Files.writeString(file, report);
        System.out.print(report);
        progress("wrote " + file);
        return 0;
    }

    /** The sink writes every run; the rows-only store hard-links the row objects (no rollup/ tree). */
    private void generate(Path withRollups, Path rowsOnly, Instant last) throws Exception {
        Files.createDirectories(withRollups);
        Sink sink = SinkRegistry.load().create(List.of(new SinkConfig("object_store", "history", "bench",
                Map.of("url", withRollups.toUri().toString()))), c -> new SinkContext(List.of(), n -> null, Shard.ALL))
                .get(0).sink();
        int runs = days * 24 * 60;
        long started = System.nanoTime();
        for (int run = 0; run < runs; run++) {
            Instant time = last.minus(Duration.ofMinutes(runs - 1 - run));
            ClusterSnapshot cluster = cluster(time, run);
            Delivery d = sink.deliver(new Snapshot(String.format("run%09d", run), time, Shard.ALL, List.of(cluster)),
                    Deadline.after(Duration.ofSeconds(30)));
            if (!d.delivered()) {
                throw new IllegalStateException(d.detail());
            }
            if (run % 1440 == 1439) {
                progress("generated " + (run + 1) + " of " + runs + " runs in "
                        + Duration.ofNanos(System.nanoTime() - started).toSeconds() + " s");
            }
        }
        Path clusterDir = withRollups.resolve("cluster=" + CLUSTER);
        try (Stream<Path> files = Files.walk(clusterDir)) {
            for (Path p : files.filter(f -> f.toString().endsWith(".ndjson.gz")).toList()) {
                Path link = rowsOnly.resolve(withRollups.relativize(p).toString());
                Files.createDirectories(link.getParent());
                Files.createLink(link, p);
            }
        }
    }

    /** Lag that moves from run to run and group to group, so gzip sees realistic variety; some groups caught up. */
    private ClusterSnapshot cluster(Instant time, int run) {
        List<PartitionLag> rows = new ArrayList<>(groups * partitions);
        for (int g = 0; g < groups; g++) {
            String group = Workload.group(g);
            String topic = Workload.topic(g / Workload.GROUPS_PER_TOPIC);
            for (int p = 0; p < partitions; p++) {
                long lag = g % 10 == 0 ? 0 : (g * 7919L + p * 104_729L + run * 31L) % 100_000;
                long high = 1_000_000L + run * 100L;
                rows.add(PartitionLag.builder(group, topic, p).groupState(GroupState.STABLE)
                        .committedOffset(high - lag).watermarks(new Watermarks(0, high, high)).lag(lag)
                        .lagSeconds(lag == 0 ? 0.0 : lag / 50.0).retentionMargin(high - lag)
                        .lagRetentionRatio(lag / (double) high).build());
            }
        }
        return ClusterSnapshot.builder(CLUSTER).granularity(Granularity.PARTITION).time(time).rows(rows).build();
    }

    /**
     * @param since a duration, or "all" for back to the first run (the command counts back from the real now)
     * @param options more options of the command, e.g. --group REGEX or --step none
     */
    private Timing query(Path jar, Path store, String name, String since, List<String> options, Instant first)
            throws Exception {
        List<Long> wall = new ArrayList<>();
        List<Long> cpu = new ArrayList<>();
        long lines = 0;
        for (int i = 0; i < repeat; i++) {
            String duration = since.equals("all")
                    ? Duration.between(first, Instant.now()).toSeconds() + 60 + "s" : since;
            List<String> command = new ArrayList<>(List.of(javaBin(), "-jar", jar.toString(), "history", "--store",
                    store.toUri().toString(), "--cluster", CLUSTER, "--since", duration, "--format", "csv"));
            command.addAll(options);
            long cpuBefore = CpuTime.reapedChildrenMs();
            JavaProcess.Result r = JavaProcess.run(command, Workload.group(0).substring(0, 5),
                    Files.createTempFile("history-bench", ".err"), QUERY_TIMEOUT);
            cpu.add(CpuTime.reapedChildrenMs() - cpuBefore);
            if (r.exitCode() != 0) {
                throw new IllegalStateException("exit " + r.exitCode() + ": " + String.join("\n", r.stderr()));
            }
            wall.add(r.wallMs());
            lines = r.prefixedLines();
            progress(name + " --since " + since + ": " + r.wallMs() + " ms wall, " + cpu.get(cpu.size() - 1)
                    + " ms CPU, " + lines + " lines");
        }
        return new Timing(name, String.join(" ", since, String.join(" ", options)).trim(), lines, wall, cpu);
    }

    private static String javaBin() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    private String report(List<Timing> timings, Machine machine, Path base) throws IOException {
        StringBuilder sb = new StringBuilder();
        sb.append("# lagsnap history: a week of a 1-minute schedule (").append(LocalDate.now()).append(")\n\n");
        sb.append("`mvn -B -q -pl bench exec:exec@history` (HistoryBench). Machine: ").append(machine.summary())
                .append(".\n\n");
        sb.append(String.format(Locale.ROOT, "Store written by the real object_store sink (file://): %,d runs (%d days, "
                        + "1 per minute), %,d groups per run, %d partition(s) per group in the row objects. Rollups: "
                        + "%s; row objects: %s.%n%n", days * 1440, days, groups, partitions,
                size(base.resolve("store/cluster=" + CLUSTER + "/rollup")), size(base.resolve("rows-only"))));
        sb.append("`all` is a --since reaching back to the first run (the week, plus the minutes since generation); "
                + "without --step, the default (auto) prints one point per group and 10 minutes for it.\n\n");
        sb.append("| store | --since, options | lines printed | wall (each run) | CPU user+sys (each run) |\n");
        sb.append("|---|---|---|---|---|\n");
        for (Timing t : timings) {
            sb.append(String.format(Locale.ROOT, "| %s | %s | %,d | %s | %s |%n", t.store(), t.since(), t.lines(),
                    seconds(t.wallMs()), seconds(t.cpuMs())));
        }
        return sb.toString();
    }

    private static String seconds(List<Long> ms) {
        return String.join(", ", ms.stream().map(m -> String.format(Locale.ROOT, "%.1f s", m / 1000.0)).toList());
    }

    private static String size(Path dir) throws IOException {
        long bytes = 0;
        long files = 0;
        try (Stream<Path> all = Files.walk(dir)) {
            for (Path p : all.filter(Files::isRegularFile).toList()) {
                bytes += Files.size(p);
                files++;
            }
        }
        return String.format(Locale.ROOT, "%,d objects, %.0f MB", files, bytes / 1e6);
    }

    private static void progress(String message) {
        System.err.println("[history-bench] " + message);
    }
}
