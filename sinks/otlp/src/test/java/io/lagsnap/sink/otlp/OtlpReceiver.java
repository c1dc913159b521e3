package io.lagsnap.sink.otlp;

import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import java.util.List;
import java.util.Map;

/** An in-process OTLP metrics endpoint that keeps what it receives, decoded with the protocol's own messages. */
interface OtlpReceiver extends AutoCloseable {
    /** How the receiver answers exports. */
    enum Answer {
        ACCEPT,
        /** HTTP 503 / gRPC UNAVAILABLE: an overloaded collector, retryable by the OTLP spec. */
        UNAVAILABLE,
        /** Read the request, never answer. */
        HANG
    }

    /** One export as received: request headers (lower-case names) and the decoded request. */
    record Received(Map<String, String> headers, ExportMetricsServiceRequest request) {
    }

    String endpoint();

    void answer(Answer answer);

    /** Every request that reached the receiver, including refused ones. */
    List<Received> received();

    @Override
    void close();
}
