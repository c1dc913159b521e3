package io.lagsnap.core.selfmetrics;

import io.lagsnap.sink.api.SinkMeter;
import java.time.Duration;
import java.util.Map;

/** A sink's {@link SinkMeter}, recorded in the run's self-metrics with the sink's name and type as labels. */
final class SinkRequests implements SinkMeter {
    static final String REQUEST_DURATION = "lagsnap_sink_request_duration_seconds";
    static final String REQUESTS = "lagsnap_sink_requests_total";
    static final String FAILED_REQUESTS = "lagsnap_sink_failed_requests_total";
    static final String RETRIES = "lagsnap_sink_retries_total";

    private final LatencyTracker requests;
    private final Counter failed;
    private final Counter retries;

    SinkRequests(SelfMetrics metrics, Map<String, String> labels) {
        this.requests = metrics.latency(REQUEST_DURATION, REQUESTS, "Requests a sink sent (each attempt counts)",
                labels);
        this.failed = metrics.counter(FAILED_REQUESTS, "Requests a sink sent that failed", labels);
        this.retries = metrics.counter(RETRIES, "Requests a sink repeated after a failure", labels);
    }

    @Override
    public void request(Duration took, boolean succeeded) {
        requests.record(took);
        if (!succeeded) {
            failed.increment();
        }
    }

    @Override
    public void retry() {
        retries.increment();
    }
}
