package io.lagsnap.core.selfmetrics;

import io.lagsnap.core.report.RunReport;
import io.lagsnap.core.report.SinkOutcome;
import io.lagsnap.sink.api.SinkMeter;
import io.lagsnap.sink.api.metrics.MetricFamily;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The self-metrics of one run that exist only once the sinks ran: each sink's outcome, delivery time, requests and
 * retries, and the run's duration, deadline left and success. The runner creates one per run, hands it to the sinks
 * through {@code SinkContext}, records the outcomes after delivery and hands the families to the sinks'
 * {@code Sink.deliverReport}; the {@link RunReport} carries them too.
 *
 * <p>lagsnap keeps no state between runs, so "last success" is this run's time when it succeeded and absent when it
 * did not: whoever stores the series (Prometheus) keeps the history, as with klag-exporter's
 * {@code kafka_lag_exporter_last_update_timestamp_seconds}.
 */
public final class RunMetrics {
    public static final String RUN_DURATION = "lagsnap_run_duration_seconds";
    public static final String DEADLINE_REMAINING = "lagsnap_run_deadline_remaining_seconds";
    public static final String EXIT_CODE = "lagsnap_run_exit_code";
    public static final String LAST_SUCCESS = "lagsnap_run_last_success_timestamp_seconds";
    public static final String SINK_DELIVERED = "lagsnap_sink_delivered";
    public static final String SINK_DURATION = "lagsnap_sink_delivery_duration_seconds";
    public static final String SINK_LAST_SUCCESS = "lagsnap_sink_last_success_timestamp_seconds";

    private final SelfMetrics metrics = new SelfMetrics();

    /** The meter the sink named {@code name} records its requests in. */
    public SinkMeter sink(String name, String type) {
        return new SinkRequests(metrics, sinkLabels(name, type));
    }

    /**
     * Records how each sink and the run went and returns all of this run's families, those the sinks recorded
     * included.
     *
     * @param sinks every sink's outcome once each delivered (or failed)
     * @param runDuration the time from the start of the run until then
     * @param exitCode the exit code those outcomes add up to
     * @param deadlineRemaining what was left of the run deadline then
     * @param now the time of the success timestamps
     */
    public List<MetricFamily> record(List<SinkOutcome> sinks, Duration runDuration, int exitCode,
                                     Duration deadlineRemaining, Instant now) {
        double nowSeconds = now.toEpochMilli() / 1000.0;
        for (SinkOutcome s : sinks) {
            Map<String, String> labels = sinkLabels(s.name(), s.type());
            metrics.gauge(SINK_DELIVERED, "1 if the sink delivered this run's snapshot, 0 if it failed", labels)
                    .set(s.delivered() ? 1 : 0);
            metrics.gauge(SINK_DURATION, "Time the sink took to deliver this run's snapshot", labels)
                    .set(FamilyExporter.seconds(s.duration()));
            if (s.delivered()) {
                metrics.gauge(SINK_LAST_SUCCESS, "Unix time of the sink's last delivery (absent when this run's "
                        + "failed)", labels).set(nowSeconds);
            }
        }
        metrics.gauge(RUN_DURATION, "Time from the start of the run until every sink had delivered", Map.of())
                .set(FamilyExporter.seconds(runDuration));
        metrics.gauge(DEADLINE_REMAINING, "What was left of the run deadline when every sink had delivered",
                Map.of()).set(FamilyExporter.seconds(deadlineRemaining));
        metrics.gauge(EXIT_CODE, "The run's exit code: 0 ok, 1 partial, 3 nothing delivered", Map.of())
                .set(exitCode);
        if (exitCode == RunReport.EXIT_OK) {
            metrics.gauge(LAST_SUCCESS, "Unix time of the last run that collected every cluster and delivered to "
                    + "every sink (absent when this run did not)", Map.of()).set(nowSeconds);
        }
        return metrics.families();
    }

    private static Map<String, String> sinkLabels(String name, String type) {
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put("sink", name);
        labels.put("sink_type", type);
        return labels;
    }
}
