package io.lagsnap.bench;

import io.lagsnap.testkit.ExternalProcess;
import io.lagsnap.testkit.KafkaBroker;
import io.lagsnap.testkit.LatencyProxy;
import io.lagsnap.testkit.Scenario;
import io.lagsnap.testkit.Timeline;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Cold CLI runs over a network with a round-trip delay: lagsnap (plain {@code java -jar}, and the launcher with the
 * AppCDS archive and its flags) and Kafka's ConsumerGroupCommand, each through a {@link LatencyProxy} that the broker
 * advertises, interleaved run by run (in {@link #inTurn rotating order}) and delay by delay. Per subject and delay:
 * median wall and CPU time, the sequential round trips and requests by API as the proxy saw them, peak heap and RSS.
 * {@code --trace} prints the request timeline of one lagsnap run per delay instead.
 */
@Command(name = "latency", mixinStandardHelpOptions = true,
        description = "lagsnap vs kafka-consumer-groups through a latency-injecting proxy.")
public final class LatencyBench implements Callable<Integer> {
    private static final Duration TIMEOUT = Duration.ofMinutes(10);

    @Option(names = "--root", required = true, paramLabel = "DIR", description = "the repository root")
    Path root;

    @Option(names = "--point", defaultValue = "1000x50", paramLabel = "GxP", description = "default: ${DEFAULT-VALUE}")
    String point;

    @Option(names = "--delays", defaultValue = "0,1,5", split = ",", paramLabel = "MS",
            description = "round-trip delays in ms (default: ${DEFAULT-VALUE})")
    List<Double> delaysMs;

    @Option(names = "--runs", defaultValue = "5", paramLabel = "N", description = "runs per subject and delay")
    int runs;

    @Option(names = "--trace", description = "print one lagsnap run's request timeline per delay, then exit")
    boolean trace;

    @Option(names = "--out", paramLabel = "FILE", description = "default: bench/results/<date>-latency.md")
    Path out;

    /** A cold subject. */
    enum Cli {
        LAGSNAP_PLAIN("lagsnap, java -jar"),
        LAGSNAP_RECOMMENDED("lagsnap, launcher (AppCDS + its flags)"),
        KAFKA("kafka-consumer-groups");

        final String label;

        Cli(String label) {
            this.label = label;
        }
    }

    /**
     * One cold run. Incomplete: the run did not report every row, or (lagsnap) missed time-lag samples, which on an
     * overloaded machine happens when sampling outlasts its budget; such runs are kept and counted in the report.
     */
    record Sample(long wallMs, long cpuMs, int roundTrips, Map<String, Long> requests, Long peakHeapKb,
                  Long peakRssKb, boolean complete) {
    }

    public static void main(String[] args) {
        System.exit(new CommandLine(new LatencyBench()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        SweepPoint sweepPoint = SweepPoint.parse(point);
        Workload workload = Workload.of(sweepPoint);
        Path jar = root.resolve("cronjob/target/lagsnap.jar");
        if (!Files.isRegularFile(jar.resolveSibling("lagsnap"))) {
            throw new IllegalStateException("no launcher beside " + jar + ": mvn -B -q -pl cronjob -am package"
                    + " -DskipTests");
        }
        requireArchiveUsed(jar);
        Path dir = Files.createTempDirectory("lagsnap-latency-");
        String loadAtStart = Machine.loadAverage();
        int brokerPort = ExternalProcess.freePort();
        int proxyPort = ExternalProcess.freePort();
        Map<String, String> props = LatencyProxy.brokerProps(brokerPort, proxyPort);
        try (KafkaBroker broker = KafkaBroker.start(1, props); Scenario scenario = broker.scenario();
             LatencyProxy proxy = LatencyProxy.start(proxyPort, brokerPort)) {
            progress("building " + sweepPoint);
            workload.build(scenario, System.currentTimeMillis());
            String bootstrap = "localhost:" + proxyPort;
            Lagsnap lagsnap = new Lagsnap(bootstrap, dir);
            KafkaDescribe kafka = new KafkaDescribe(bootstrap);
            Runner runner = new Runner(proxy, lagsnap, kafka, jar, dir, workload.rows());
            if (trace) {
                for (double d : delaysMs) {
                    proxy.delay(Math.round(d * 1000));
                    runner.run(Cli.LAGSNAP_RECOMMENDED);
                    System.out.println("# lagsnap, launcher flags, " + sweepPoint + ", round trip " + d + " ms");
                    System.out.print(runner.lastTimeline.trace());
                }
                return 0;
            }
            Map<Double, Map<Cli, List<Sample>>> samples = new LinkedHashMap<>();
            for (int r = 1; r <= runs; r++) {
                for (double d : delaysMs) {
                    proxy.delay(Math.round(d * 1000));
                    for (Cli cli : inTurn(r)) {
                        progress("run " + r + "/" + runs + ", " + d + " ms, " + cli.label);
                        samples.computeIfAbsent(d, x -> new LinkedHashMap<>())
                                .computeIfAbsent(cli, x -> new ArrayList<>()).add(runner.run(cli));
                    }
                }
            }
            String report = LatencyReport.markdown(sweepPoint, runs, Machine.current(loadAtStart)
                    .endedWith(Machine.loadAverage()), samples);
            Path file = out != null ? out : root.resolve("bench/results/" + LocalDate.now() + "-latency.md");
            Files.writeString(file, report);
            System.out.println(report);
            progress("wrote " + file);
            return 0;
        }
    }

    /**
     * The subjects in the order of run {@code r}, rotated from run to run: in interleaved cold runs on this machine
     * the subject that ran first came out 100-150 ms slower, whichever it was (bench/results/2026-12-05-coldstart.md).
     */
    static List<Cli> inTurn(int r) {
        List<Cli> subjects = new ArrayList<>(List.of(Cli.values()));
        Collections.rotate(subjects, -(r - 1));
        return subjects;
    }

    /** Runs one cold subject through the proxy and reads what it did. */
    private static final class Runner {
        private final LatencyProxy proxy;
        private final Lagsnap lagsnap;
        private final KafkaDescribe kafka;
        private final Path jar;
        private final Path dir;
        private final long rows;
        private Timeline lastTimeline;

        Runner(LatencyProxy proxy, Lagsnap lagsnap, KafkaDescribe kafka, Path jar, Path dir, long rows) {
            this.proxy = proxy;
            this.lagsnap = lagsnap;
            this.kafka = kafka;
            this.jar = jar;
            this.dir = dir;
            this.rows = rows;
        }

        Sample run(Cli cli) throws Exception {
            Path gcLog = dir.resolve("gc-" + cli.name().toLowerCase(Locale.ROOT) + ".log");
            Files.deleteIfExists(gcLog);
            List<String> command = switch (cli) {
                case LAGSNAP_PLAIN -> lagsnap.cliCommand(jar, Lagsnap.Launch.PLAIN, Lagsnap.Setting.TIME_LAG, gcLog);
                case LAGSNAP_RECOMMENDED -> lagsnap.cliCommand(jar, Lagsnap.Launch.LAUNCHER, Lagsnap.Setting.TIME_LAG,
                        gcLog);
                case KAFKA -> withGcLog(kafka.command(), gcLog);
            };
            proxy.drain();
            long cpuBefore = CpuTime.reapedChildrenMs();
            JavaProcess.Result result = JavaProcess.run(command, Workload.GROUP_PREFIX, dir.resolve("cli.stderr"),
                    TIMEOUT);
            long cpuMs = CpuTime.reapedChildrenMs() - cpuBefore;
            // the last response is released to the client after the process read it: nothing is lost by draining now
            lastTimeline = new Timeline(proxy.drain());
            boolean complete;
            if (cli == Cli.KAFKA) {
                complete = result.prefixedLines() == rows;
            } else {
                Lagsnap.Run run = Lagsnap.fromCli(result);
                complete = run.exitCode() == 0 && run.rows() == rows && run.samplesMissed() == 0;
            }
            if (!complete) {
                progress(cli.label + " did not see every row (or missed time-lag samples): kept, marked incomplete");
            }
            return new Sample(result.wallMs(), cpuMs, lastTimeline.sequentialRoundTrips(),
                    lastTimeline.requestsByApi(), GcLog.peakHeapKb(Files.readAllLines(gcLog)), result.peakRssKb(),
                    complete);
        }

        private static List<String> withGcLog(List<String> command, Path gcLog) {
            List<String> out = new ArrayList<>(command);
            out.add(1, GcLog.option(gcLog));
            return out;
        }
    }

    /**
     * The launcher's runs count only if the JVM maps the archive, which it would otherwise drop silently; the first
     * launch also (re)builds the archive for the jar, outside the timed runs.
     */
    private static void requireArchiveUsed(Path jar) throws Exception {
        List<String> command = Lagsnap.command(jar, Lagsnap.Launch.LAUNCHER, List.of(), List.of("--version"));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String version = new String(process.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        process.waitFor();
        if (!version.contains("AppCDS archive: used")) {
            throw new IllegalStateException("the AppCDS archive does not fit the jar: " + version);
        }
        progress(version.strip().replace('\n', ' '));
    }

    private static void progress(String message) {
        System.err.println("latency: " + message);
    }
}
