package io.lagsnap.cli;

import io.lagsnap.testkit.DemoWorkload;
import io.lagsnap.testkit.KafkaBroker;
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
        Path out = Path.of(args.length > 0 ? args[0] : "demo-out").toAbsolutePath();
        Files.createDirectories(out);
        int code;
        try (KafkaBroker broker = KafkaBroker.start()) {
            DemoWorkload.build(broker, System.currentTimeMillis());
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
        }
        System.exit(code);
    }
}
