package io.lagsnap.cli;

import io.lagsnap.testkit.DemoWorkload;
import io.lagsnap.testkit.KafkaBroker;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The README's demo: an embedded broker with a realistic workload, then one real {@code lagsnap} run that prints
 * the table and writes NDJSON, Prometheus text and the HTML status page under ./demo-out.
 */
public final class Demo {
    private Demo() {
    }

    public static void main(String[] args) throws Exception {
        System.exit(run(Path.of(args.length > 0 ? args[0] : "demo-out").toAbsolutePath()));
    }

    /**
     * Runs the demo into {@code out} and returns lagsnap's exit code. stdout carries only lagsnap's output: what the
     * embedded broker prints while it formats its storage and starts goes to stderr.
     */
    public static int run(Path out) throws Exception {
        Files.createDirectories(out);
        int code;
        PrintStream stdout = System.out;
        System.setOut(System.err);
        try (KafkaBroker broker = KafkaBroker.start()) {
            DemoWorkload.build(broker, System.currentTimeMillis());
            System.setOut(stdout);
            Path config = out.resolve("config.toml");
            Files.writeString(config, """
                    [exporter]
                    granularity = "partition"

                    [[clusters]]
                    name = "demo"
                    bootstrap_servers = "%s"
                    [clusters.labels]
                    environment = "demo"

                    [[sinks]]
                    type = "stdout"
                    format = "table"

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

                    [[sinks]]
                    type = "file"
                    name = "page"
                    path = "%s"
                    format = "html"
                    """.formatted(broker.bootstrapServers(), out.resolve("lag.ndjson"), out.resolve("lag.prom"),
                    out.resolve("status.html")));
            code = LagsnapCli.execute(System::getenv, new PrintWriter(System.err, true),
                    "--config", config.toString());
            System.err.printf("%ndemo: wrote %s, %s, %s and %s (exit code %d)%n", config, out.resolve("lag.ndjson"),
                    out.resolve("lag.prom"), out.resolve("status.html"), code);
        } finally {
            System.setOut(stdout);
        }
        return code;
    }
}
