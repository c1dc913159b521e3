package io.lagsnap.core.selfmetrics;

import io.lagsnap.sink.api.Deadline;
import io.lagsnap.sink.api.Delivery;
import io.lagsnap.sink.api.Sink;
import io.lagsnap.sink.api.SinkContext;
import io.lagsnap.sink.api.SinkMeter;
import io.lagsnap.sink.api.SinkProvider;
import io.lagsnap.sink.api.config.SinkConfig;
import io.lagsnap.sink.api.metrics.MetricFamily;
import io.lagsnap.sink.api.model.Snapshot;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Set;

/**
 * {@code type = "test-report-fails"}: a stand-in sink, because no real sink in core sends requests or fails only at
 * report time. It meters two requests (100 ms that failed, a retry, 200 ms that succeeded), delivers (or, with
 * {@code fail_delivery = true}, fails), and then cannot publish the run report.
 */
public final class ReportFailingSinkProvider implements SinkProvider {
    @Override
    public String type() {
        return "test-report-fails";
    }

    @Override
    public Sink create(SinkConfig config, SinkContext context) {
        config.requireOnlyKeys(Set.of("fail_delivery"));
        boolean failDelivery = config.bool("fail_delivery", false);
        SinkMeter meter = context.meter();
        return new Sink() {
            @Override
            public Delivery deliver(Snapshot snapshot, Deadline deadline) {
                meter.request(Duration.ofMillis(100), false);
                meter.retry();
                meter.request(Duration.ofMillis(200), true);
                return failDelivery ? Delivery.failed("store refused") : Delivery.ok("delivered on the second attempt");
            }

            @Override
            public Delivery deliverReport(String runId, List<MetricFamily> runMetrics, Deadline deadline)
                    throws IOException {
                throw new IOException("report store unreachable");
            }
        };
    }
}
