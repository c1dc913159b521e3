package io.lagsnap.core.selfmetrics;

import io.lagsnap.core.config.SinkConfig;
import io.lagsnap.core.model.Snapshot;
import io.lagsnap.core.run.Deadline;
import io.lagsnap.core.run.RunReport;
import io.lagsnap.core.sink.Delivery;
import io.lagsnap.core.sink.Sink;
import io.lagsnap.core.sink.SinkContext;
import io.lagsnap.core.sink.SinkProvider;
import java.io.IOException;
import java.time.Duration;
import java.util.Set;

/**
 * {@code type = "test-report-fails"}: a stand-in sink, because no real sink in core sends requests or fails only at
 * report time. It meters two requests (100 ms that failed, a retry, 200 ms that succeeded), delivers, and then
 * cannot publish the run report.
 */
public final class ReportFailingSinkProvider implements SinkProvider {
    @Override
    public String type() {
        return "test-report-fails";
    }

    @Override
    public Sink create(SinkConfig config, SinkContext context) {
        config.requireOnlyKeys(Set.of());
        SinkMeter meter = context.metrics().sink(config.name(), type());
        return new Sink() {
            @Override
            public Delivery deliver(Snapshot snapshot, Deadline deadline) {
                meter.request(Duration.ofMillis(100), false);
                meter.retry();
                meter.request(Duration.ofMillis(200), true);
                return Delivery.ok("delivered on the second attempt");
            }

            @Override
            public void deliverReport(RunReport report, Deadline deadline) throws IOException {
                throw new IOException("report store unreachable");
            }
        };
    }
}
