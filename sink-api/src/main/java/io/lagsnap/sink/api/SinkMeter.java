package io.lagsnap.sink.api;

import java.time.Duration;

/**
 * Where a sink records the requests it sends and the retries it makes in a run. The counts reach the run's own
 * metrics ({@code lagsnap_sink_requests_total}, {@code lagsnap_sink_failed_requests_total},
 * {@code lagsnap_sink_retries_total}, {@code lagsnap_sink_request_duration_seconds}) labelled with the sink's name
 * and type. Thread-safe.
 */
public interface SinkMeter {
    /** A meter that records nothing, for sinks built outside a run. */
    SinkMeter NONE = new SinkMeter() {
        @Override
        public void request(Duration took, boolean succeeded) {
        }

        @Override
        public void retry() {
        }
    };

    /** One request (or attempt) and how long it took. */
    void request(Duration took, boolean succeeded);

    /** A failed request is about to be sent again. */
    void retry();
}
