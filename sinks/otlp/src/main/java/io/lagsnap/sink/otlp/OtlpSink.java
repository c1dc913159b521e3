package io.lagsnap.sink.otlp;

import io.lagsnap.core.model.Snapshot;
import io.lagsnap.core.run.Deadline;
import io.lagsnap.core.sink.Delivery;
import io.lagsnap.core.sink.Sink;
import io.opentelemetry.exporter.internal.FailedExportException;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.metrics.export.MetricExporter;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Exports the snapshot once, as OTLP gauges. The exporter is built for this one export with a timeout that ends
 * inside the run deadline; OTel's retry policy (exponential backoff with jitter, retryable statuses only) runs
 * within that timeout. The exporter is shut down before {@link #deliver} returns.
 */
final class OtlpSink implements Sink {
    /** Kept back from the run deadline so this sink reports its own failure and shuts down in time. */
    private static final Duration MARGIN = Duration.ofMillis(500);
    private static final Duration SHUTDOWN_WAIT = Duration.ofMillis(200);

    private final String protocol;
    private final String endpoint;
    private final OtlpSinkProvider.MetricExporters exporters;
    private final RunResource resource;
    private final Duration timeout;

    OtlpSink(String protocol, String endpoint, OtlpSinkProvider.MetricExporters exporters, RunResource resource,
             Duration timeout) {
        this.protocol = protocol;
        this.endpoint = endpoint;
        this.exporters = exporters;
        this.resource = resource;
        this.timeout = timeout;
    }

    @Override
    public Delivery deliver(Snapshot snapshot, Deadline deadline) {
        Duration budget = deadline.minus(MARGIN).cap(timeout);
        String where = protocol + " " + endpoint;
        if (budget.isZero()) {
            return Delivery.failed("otlp " + where + ": run deadline reached before the export");
        }
        List<MetricData> metrics = OtlpMetrics.of(snapshot, resource.forRun(snapshot.runId()));
        int points = metrics.stream().mapToInt(m -> m.getData().getPoints().size()).sum();
        MetricExporter exporter = exporters.withTimeout(budget);
        try {
            CompletableResultCode result = exporter.export(metrics)
                    .join(budget.plus(SHUTDOWN_WAIT).toMillis(), TimeUnit.MILLISECONDS);
            if (result.isSuccess()) {
                return Delivery.ok("exported " + metrics.size() + " metrics (" + points + " points) over " + where);
            }
            return Delivery.failed("otlp " + where + ": " + why(result, budget));
        } finally {
            exporter.shutdown().join(SHUTDOWN_WAIT.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    /**
     * The server's answer when there was one. FailedExportException is the exporter's own (internal) carrier of
     * it; HttpResponse and GrpcResponse are public.
     */
    private static String why(CompletableResultCode result, Duration budget) {
        Throwable failure = result.getFailureThrowable();
        if (failure instanceof FailedExportException.HttpExportException e && e.getResponse() != null) {
            return "HTTP " + e.getResponse().getStatusCode() + " " + e.getResponse().getStatusMessage();
        }
        if (failure instanceof FailedExportException.GrpcExportException e && e.getResponse() != null) {
            String description = e.getResponse().getStatusDescription();
            return "gRPC " + e.getResponse().getStatusCode() + (description == null ? "" : " " + description);
        }
        if (failure != null && failure.getCause() != null) {
            return failure.getCause().toString();
        }
        if (!result.isDone()) {
            return "no answer within " + budget.toMillis() + " ms";
        }
        return failure == null ? "failed without a reason" : failure.toString();
    }
}
