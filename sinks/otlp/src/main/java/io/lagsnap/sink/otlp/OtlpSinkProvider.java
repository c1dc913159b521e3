package io.lagsnap.sink.otlp;

import io.lagsnap.sink.api.Sink;
import io.lagsnap.sink.api.SinkContext;
import io.lagsnap.sink.api.SinkProvider;
import io.lagsnap.sink.api.config.ConfigException;
import io.lagsnap.sink.api.config.SinkConfig;
import io.lagsnap.sink.api.config.Urls;
import io.opentelemetry.exporter.otlp.http.metrics.OtlpHttpMetricExporter;
import io.opentelemetry.exporter.otlp.http.metrics.OtlpHttpMetricExporterBuilder;
import io.opentelemetry.exporter.otlp.metrics.OtlpGrpcMetricExporter;
import io.opentelemetry.exporter.otlp.metrics.OtlpGrpcMetricExporterBuilder;
import io.opentelemetry.sdk.common.export.RetryPolicy;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Set;

/**
 * {@code type = "otlp"}: {@code protocol} ("http/protobuf" or "grpc"), {@code endpoint} (default the local
 * collector's port for the protocol), {@code headers} (a table; use {@code ${VAR}} for keys), {@code timeout} of
 * the whole export including retries ("10s"), {@code retries} (0 to 4, default 4) and {@code compression}
 * ("gzip" or "none"), and {@code service_instance_id}, the stable name in the resource's service.instance.id
 * (see {@link ServiceResource}).
 */
public final class OtlpSinkProvider implements SinkProvider {
    static final String HTTP = "http/protobuf";
    static final String GRPC = "grpc";
    private static final String METRICS_PATH = "/v1/metrics";
    /** OTel's RetryPolicy allows 2 to 5 attempts; 0 retries means no policy at all. */
    private static final int MAX_RETRIES = 4;
    private static final Set<String> KEYS = Set.of("protocol", "endpoint", "headers", "timeout", "retries",
            "compression", "service_instance_id");

    @Override
    public String type() {
        return "otlp";
    }

    @Override
    public Sink create(SinkConfig config, SinkContext context) {
        config.requireOnlyKeys(KEYS);
        String protocol = config.choice("protocol", HTTP, Set.of(HTTP, GRPC));
        String endpoint = endpoint(config, protocol);
        Map<String, String> headers = config.stringMap("headers");
        headers.keySet().forEach(name -> {
            if (!name.matches("[!#$%&'*+.^_`|~0-9A-Za-z-]+")) {
                config.problem("headers." + name, "\"" + name + "\" is not a valid HTTP header name");
            }
        });
        Duration timeout = config.duration("timeout", Duration.ofSeconds(10));
        int retries = config.integer("retries", MAX_RETRIES, 0);
        if (retries > MAX_RETRIES) {
            config.problem("retries", "at most " + MAX_RETRIES + " (5 attempts), got " + retries);
            retries = MAX_RETRIES;
        }
        RetryPolicy retry = retries == 0 ? null : RetryPolicy.builder().setMaxAttempts(retries + 1).build();
        String compression = config.choice("compression", "gzip", Set.of("gzip", "none"));

        MetricExporters exporters;
        if (protocol.equals(GRPC)) {
            OtlpGrpcMetricExporterBuilder b = OtlpGrpcMetricExporter.builder().setEndpoint(endpoint)
                    .setCompression(compression).setRetryPolicy(retry);
            headers.forEach(b::addHeader);
            exporters = budget -> b.setTimeout(budget).build();
        } else {
            OtlpHttpMetricExporterBuilder b = OtlpHttpMetricExporter.builder().setEndpoint(endpoint)
                    .setCompression(compression).setRetryPolicy(retry);
            headers.forEach(b::addHeader);
            exporters = budget -> b.setTimeout(budget).build();
        }
        ServiceResource resource = new ServiceResource(context.env(), context.clusters(), context.shard(),
                config.string("service_instance_id", null));
        return new OtlpSink(protocol, endpoint, exporters, resource.resource(), timeout, context.meter());
    }

    /**
     * For http/protobuf the endpoint is the base URL, as in OTEL_EXPORTER_OTLP_ENDPOINT: {@code /v1/metrics} is
     * appended unless the URL already ends with it. For grpc it is the server's URL.
     */
    private static String endpoint(SinkConfig config, String protocol) {
        String text = config.string("endpoint", protocol.equals(GRPC) ? "http://localhost:4317"
                : "http://localhost:4318");
        URI uri = Urls.parse(config.at("endpoint"), text);
        if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme()) || uri.getHost() == null) {
            throw new ConfigException(config.at("endpoint") + ": expected http(s)://HOST:PORT[/PATH], got \""
                    + Urls.shown(text) + "\"");
        }
        if (uri.getRawUserInfo() != null || uri.getRawQuery() != null || uri.getRawFragment() != null) {
            // the endpoint shows up in run reports; credentials belong in headers
            throw new ConfigException(config.at("endpoint") + ": must not contain credentials, a query or a "
                    + "fragment; put credentials in headers");
        }
        if (protocol.equals(GRPC)) {
            return text;
        }
        String base = text.replaceAll("/+$", "");
        return base.endsWith(METRICS_PATH) ? base : base + METRICS_PATH;
    }

    /** Builds the exporter at delivery, when the time left for the export is known. */
    @FunctionalInterface
    interface MetricExporters {
        io.opentelemetry.sdk.metrics.export.MetricExporter withTimeout(Duration budget);
    }
}
