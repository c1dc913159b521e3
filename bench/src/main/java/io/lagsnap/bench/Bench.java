package io.lagsnap.bench;

import io.lagsnap.testkit.KafkaBroker;
import io.lagsnap.testkit.Scenario;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The end-to-end benchmark: for each sweep point, a fresh in-process broker with the {@link Workload}, then lagsnap
 * and Kafka's own describe on that same cluster, interleaved run by run so that noise on this shared machine hits
 * both alike. Prints the tables and writes {@code bench/results/<date>.json}.
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Benchmarks lagsnap against kafka-consumer-groups --describe --all-groups on an embedded broker.")
public final class Bench implements Callable<Integer> {
    private static final Duration SUBPROCESS_TIMEOUT = Duration.ofMinutes(5);

    @Option(names = "--root", required = true, paramLabel = "DIR",
            description = "the repository root (where cronjob/target/lagsnap.jar is)")
    Path root;

    @Option(names = "--sweep", paramLabel = "GxP,...",
            description = "cluster sizes, groups x partitions (default: 10x10,100x50,1000x50; --quick: 10x10,100x50)")
    String sweep;

    @Option(names = "--quick", description = "a smaller sweep and one timed run per subject")
    boolean quick;

    @Option(names = "--repeat", defaultValue = "3", paramLabel = "N",
            description = "timed in-process runs per subject and sweep point (default: ${DEFAULT-VALUE})")
    int repeat;

    @Option(names = "--out", paramLabel = "FILE", description = "result file (default: bench/results/<date>.json)")
    Path out;

    public static void main(String[] args) {
        System.exit(new CommandLine(new Bench()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        List<SweepPoint> points = sweep != null ? SweepPoint.parseList(sweep)
                : quick ? SweepPoint.QUICK : SweepPoint.DEFAULT;
        int runs = quick ? 1 : repeat;
        Path jar = root.resolve("cronjob/target/lagsnap.jar");
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " is missing: build it first with mvn -B -q install -DskipTests");
        }
        boolean launcher = Files.isRegularFile(jar.resolveSibling("lagsnap"));
        if (!launcher) {
            progress("no launcher beside " + jar + ": the runs with the recommended flags are skipped");
        }
        Instant started = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        Machine machine = Machine.current(Machine.loadAverage());
        List<PointResult> results = new ArrayList<>();
        for (SweepPoint point : points) {
            results.add(measure(point, runs, jar, launcher));
        }
        BenchResult result = new BenchResult(started.toString(), machine.endedWith(Machine.loadAverage()), runs,
                results);
        Path file = out != null ? out : root.resolve("bench/results/" + LocalDate.now() + ".json");
        BenchJson.write(result, file);
        System.out.println(ResultTable.markdown(result));
        progress("wrote " + file);
        return 0;
    }

    private PointResult measure(SweepPoint point, int runs, Path jar, boolean launcher) throws Exception {
        Workload workload = Workload.of(point);
        Path dir = Files.createTempDirectory("lagsnap-bench-" + point + "-");
        try (KafkaBroker broker = KafkaBroker.start(); Scenario scenario = broker.scenario()) {
            progress(point + ": building " + workload.topics() + " topic(s) of " + point.partitions()
                    + " partitions, " + point.groups() + " groups");
            workload.build(scenario, System.currentTimeMillis());
            Lagsnap lagsnap = new Lagsnap(broker.bootstrapServers(), dir);
            KafkaDescribe kafka = new KafkaDescribe(broker.bootstrapServers());
            long rows = workload.rows();

            progress(point + ": warm-up (one untimed run of each in-process subject)");
            for (Lagsnap.Setting setting : Lagsnap.Setting.values()) {
                lagsnap.inProcess(setting).verified(rows);
            }
            kafka.inProcess().verified(rows);

            Map<Subject, Timed> timed = new EnumMap<>(Subject.class);
            for (int r = 1; r <= runs; r++) {
                progress(point + ": timed run " + r + "/" + runs);
                measured(timed, Subject.LAGSNAP_CYCLE, broker,
                        () -> lagsnap.inProcess(Lagsnap.Setting.TIME_LAG).verified(rows).wallMs(), rows);
                measured(timed, Subject.KAFKA_DESCRIBE, broker, () -> kafka.inProcess().verified(rows).wallMs(), rows);
                measured(timed, Subject.LAGSNAP_CYCLE_NO_TIME_LAG, broker,
                        () -> lagsnap.inProcess(Lagsnap.Setting.NO_TIME_LAG).verified(rows).wallMs(), rows);
                measured(timed, Subject.LAGSNAP_CYCLE_PARTITION_SERIES, broker,
                        () -> lagsnap.inProcess(Lagsnap.Setting.PARTITION_SERIES).verified(rows).wallMs(), rows);
            }
            Map<Subject, Measurement> measurements = new EnumMap<>(Subject.class);
            timed.forEach((subject, t) -> measurements.put(subject, t.measurement(subject)));

            progress(point + ": cold subprocesses");
            ColdCli cli = new ColdCli(broker, lagsnap, jar, dir, rows);
            measurements.put(Subject.LAGSNAP_CLI_PLAIN, cli.run(Subject.LAGSNAP_CLI_PLAIN, Lagsnap.Launch.PLAIN,
                    Lagsnap.Setting.TIME_LAG));
            if (launcher) {
                measurements.put(Subject.LAGSNAP_CLI_TUNED, cli.run(Subject.LAGSNAP_CLI_TUNED,
                        Lagsnap.Launch.LAUNCHER, Lagsnap.Setting.TIME_LAG));
                measurements.put(Subject.LAGSNAP_CLI_TUNED_PARTITION_SERIES, cli.run(
                        Subject.LAGSNAP_CLI_TUNED_PARTITION_SERIES, Lagsnap.Launch.LAUNCHER,
                        Lagsnap.Setting.PARTITION_SERIES));
            }
            measurements.put(Subject.KAFKA_DESCRIBE_CLI, kafkaCli(broker, kafka, dir, rows));
            PointResult result = new PointResult(point, workload.topics(), rows, measurements);
            progress(point + ": " + summary(result));
            return result;
        } finally {
            deleteRecursively(dir);
        }
    }

    /** Cold runs of the lagsnap CLI on one cluster. */
    private record ColdCli(KafkaBroker broker, Lagsnap lagsnap, Path jar, Path dir, long rows) {
        Measurement run(Subject subject, Lagsnap.Launch launch, Lagsnap.Setting setting) throws Exception {
            Path gcLog = dir.resolve("gc-" + subject.name().toLowerCase(Locale.ROOT) + ".log");
            Map<String, Long> before = broker.requestCounts();
            JavaProcess.Result result = JavaProcess.run(lagsnap.cliCommand(jar, launch, setting, gcLog),
                    Workload.GROUP_PREFIX, dir.resolve("cli.stderr"), SUBPROCESS_TIMEOUT);
            Map<String, Long> requests = Requests.fromClients(broker.requestCountsSince(before));
            Lagsnap.Run run = Lagsnap.fromCli(result).verified(rows);
            return Measurement.of(subject, List.of(run.wallMs()), requests, run.rows(),
                    GcLog.peakHeapKb(Files.readAllLines(gcLog)), result.peakRssKb());
        }
    }

    private static Measurement kafkaCli(KafkaBroker broker, KafkaDescribe kafka, Path dir, long rows)
            throws Exception {
        Map<String, Long> before = broker.requestCounts();
        JavaProcess.Result result = JavaProcess.run(kafka.command(), Workload.GROUP_PREFIX,
                dir.resolve("kafka.stderr"), SUBPROCESS_TIMEOUT);
        Map<String, Long> requests = Requests.fromClients(broker.requestCountsSince(before));
        if (result.exitCode() != 0) {
            throw new IllegalStateException("kafka-consumer-groups exited " + result.exitCode() + ": "
                    + String.join("\n", result.stderr()));
        }
        new KafkaDescribe.Run(result.wallMs(), result.prefixedLines(), String.join("\n", result.stderr()))
                .verified(rows);
        return Measurement.of(Subject.KAFKA_DESCRIBE_CLI, List.of(result.wallMs()), requests,
                result.prefixedLines(), null, result.peakRssKb());
    }

    /** Timed runs of one subject; the requests of its last run. */
    private static final class Timed {
        private final List<Long> runsMs = new ArrayList<>();
        private Map<String, Long> requests = Map.of();
        private long rows;

        Measurement measurement(Subject subject) {
            return Measurement.of(subject, runsMs, requests, rows, null, null);
        }
    }

    @FunctionalInterface
    private interface TimedRun {
        long wallMs() throws Exception;
    }

    private static void measured(Map<Subject, Timed> timed, Subject subject, KafkaBroker broker, TimedRun run,
                                 long rows) throws Exception {
        Map<String, Long> before = broker.requestCounts();
        long wallMs = run.wallMs();
        Timed t = timed.computeIfAbsent(subject, s -> new Timed());
        t.runsMs.add(wallMs);
        t.requests = Requests.fromClients(broker.requestCountsSince(before));
        t.rows = rows;
    }

    private static String summary(PointResult result) {
        StringBuilder s = new StringBuilder();
        result.measurements().forEach((subject, m) -> s.append(subject.label()).append(' ').append(m.medianMs())
                .append(" ms (").append(m.totalRequests()).append(" requests); "));
        return s.toString();
    }

    private static void progress(String message) {
        System.err.println("bench: " + message);
    }

    static void deleteRecursively(Path dir) throws IOException {
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
