package io.lagsnap.sink.otlp;

import io.lagsnap.sink.api.Deadline;
import io.lagsnap.sink.api.Delivery;
import io.lagsnap.sink.api.Sink;
import io.lagsnap.sink.api.SinkMeter;
import io.lagsnap.sink.api.config.ServerText;
import io.lagsnap.sink.api.metrics.MetricFamily;
import io.lagsnap.sink.api.model.Snapshot;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.common.export.GrpcResponse;
import io.opentelemetry.sdk.common.export.HttpResponse;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.metrics.export.MetricExporter;
import io.opentelemetry.sdk.resources.Resource;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Exports the snapshot once, as OTLP gauges, and then the run's own metrics (each sink's outcome, the run's
 * duration and exit code) in a second export, as they exist only once every sink delivered. Each export builds its
 * exporter with a timeout that ends inside the run deadline; OTel's retry policy (exponential backoff with jitter,
 * retryable statuses only) runs within that timeout, and the exporter is shut down before the export returns.
 */
final class OtlpSink implements Sink {
    /** Kept back from the run deadline so this sink reports its own failure and shuts down in time. */
    private static final Duration MARGIN = Duration.ofMillis(500);
    private static final Duration SHUTDOWN_WAIT = Duration.ofMillis(200);

    private final String protocol;
    private final String endpoint;
    private final OtlpSinkProvider.MetricExporters exporters;
    private final Resource resource;
    private final Duration timeout;
    private final SinkMeter meter;

    OtlpSink(String protocol, String endpoint, OtlpSinkProvider.MetricExporters exporters, Resource resource,
             Duration timeout, SinkMeter meter) {
        this.protocol = protocol;
        this.endpoint = endpoint;
        this.exporters = exporters;
        this.resource = resource;
        this.timeout = timeout;
        this.meter = meter;
    }

    @Override
    public Delivery deliver(Snapshot snapshot, Deadline deadline) {
        String where = protocol + " " + endpoint;
        List<MetricData> metrics = OtlpMetrics.of(snapshot, resource);
        int points = metrics.stream().mapToInt(m -> m.getData().getPoints().size()).sum();
        String failure = export(metrics, deadline);
        if (failure == null) {
            return Delivery.ok("exported " + metrics.size() + " metrics (" + points + " points) over " + where);
        }
        return Delivery.failed("otlp " + where + ": " + failure);
    }

    /** Exports the run's own metrics; a failure fails this sink in the report. */
    @Override
    public Delivery deliverReport(String runId, List<MetricFamily> runMetrics, Deadline deadline) {
        String failure = export(OtlpMetrics.of(runMetrics, Instant.now(), resource), deadline);
        return failure == null ? Delivery.unchanged() : Delivery.failed("run metrics: " + failure);
    }

    /** One export (with OTel's retries) within the deadline; null when the endpoint took it, else why not. */
    private String export(List<MetricData> metrics, Deadline deadline) {
        Duration budget = deadline.minus(MARGIN).cap(timeout);
        if (budget.isZero()) {
            return "run deadline reached before the export";
        }
        MetricExporter exporter = exporters.withTimeout(budget);
        long began = System.nanoTime();
        try {
            CompletableResultCode result = exporter.export(metrics)
                    .join(budget.plus(SHUTDOWN_WAIT).toMillis(), TimeUnit.MILLISECONDS);
            // OTel retries inside the export: one request here, however many attempts it made
            meter.request(Duration.ofNanos(System.nanoTime() - began), result.isSuccess());
            return result.isSuccess() ? null : why(result, budget);
        } finally {
            exporter.shutdown().join(SHUTDOWN_WAIT.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    /** The server's answer when there was one, else the transport's failure. */
    private static String why(CompletableResultCode result, Duration budget) {
        Throwable failure = result.getFailureThrowable();
        Object response = response(failure);
        if (response instanceof HttpResponse r) {
            return "HTTP " + r.getStatusCode() + " " + ServerText.excerpt(r.getStatusMessage());
        }
        if (response instanceof GrpcResponse r) {
            String description = r.getStatusDescription();
            return "gRPC " + r.getStatusCode() + (description == null ? "" : " " + ServerText.excerpt(description));
        }
        if (failure != null && failure.getCause() != null) {
            return ServerText.excerpt(failure.getCause().toString());
        }
        if (!result.isDone()) {
            return "no answer within " + budget.toMillis() + " ms";
        }
        return failure == null ? "failed without a reason" : failure.toString();
    }

    /**
     * The HttpResponse or GrpcResponse (public SDK types) of a failed export. The exception that carries them lives
     * in the exporter's internal package, which may change in any release, so it is read through its public
     * {@code getResponse()} method rather than compiled against.
     */
    private static Object response(Throwable failure) {
        if (failure == null) {
            return null;
        }
        try {
            return failure.getClass().getMethod("getResponse").invoke(failure);
        } catch (ReflectiveOperationException | RuntimeException e) {
            return null;
        }
    }
}
