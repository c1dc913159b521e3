package io.lagsnap.core.selfmetrics;

import java.time.Duration;
import java.util.Map;

/**
 * Where one sink records the requests it sends and the retries it makes in this run. A sink gets its meter from
 * {@code SinkContext.metrics().sink(config.name(), type())} when it is created; the counts reach the run report's
 * metrics ({@code lagsnap_sink_requests_total}, ...) with the sink's name and type as labels.
 */
public final class SinkMeter {
    public static final String REQUEST_DURATION = "lagsnap_sink_request_duration_seconds";
    public static final String REQUESTS = "lagsnap_sink_requests_total";
    public static final String FAILED_REQUESTS = "lagsnap_sink_failed_requests_total";
    public static final String RETRIES = "lagsnap_sink_retries_total";

    private final LatencyTracker requests;
    private final Counter failed;
    private final Counter retries;

    SinkMeter(SelfMetrics metrics, Map<String, String> labels) {
        this.requests = metrics.latency(REQUEST_DURATION, REQUESTS, "Requests a sink sent (each attempt counts)",
                labels);
        this.failed = metrics.counter(FAILED_REQUESTS, "Requests a sink sent that failed", labels);
        this.retries = metrics.counter(RETRIES, "Requests a sink repeated after a failure", labels);
    }

    /** One request (or attempt) and how long it took. */
    public void request(Duration took, boolean succeeded) {
        requests.record(took);
        if (!succeeded) {
            failed.increment();
        }
    }

    /** A failed request is about to be sent again. */
    public void retry() {
        retries.increment();
    }
}
