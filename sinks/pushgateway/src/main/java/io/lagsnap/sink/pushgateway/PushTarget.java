package io.lagsnap.sink.pushgateway;

import io.prometheus.metrics.config.PrometheusProperties;
import io.prometheus.metrics.exporter.pushgateway.Format;
import io.prometheus.metrics.exporter.pushgateway.PushGateway;
import io.prometheus.metrics.exporter.pushgateway.Scheme;
import java.net.URI;
import java.time.Duration;
import java.util.Map;

/** Where and as whom the sink pushes: the Pushgateway, the job, the extra grouping labels and the credentials. */
record PushTarget(URI url, String job, Map<String, String> extraLabels, PushAuth auth) {
    /**
     * Empty properties: client_java would otherwise let system properties and a prometheus.properties file on the
     * class path override the address and job; lagsnap's config is the only source.
     */
    private static final PrometheusProperties NO_PROPERTIES = PrometheusProperties.builder().build();

    PushTarget {
        extraLabels = Map.copyOf(extraLabels);
    }

    /** host:port plus any path prefix (a Pushgateway behind a proxy path); client_java appends /metrics/... */
    String address() {
        String path = url.getRawPath() == null ? "" : url.getRawPath().replaceAll("/+$", "");
        return url.getRawAuthority() + path;
    }

    /** A client for one attempt: one grouping key, timeouts and connections bounded by {@code budget}. */
    PushGateway gateway(Map<String, String> labels, Duration budget) {
        PushGateway.Builder b = PushGateway.builder(NO_PROPERTIES)
                .scheme("https".equals(url.getScheme()) ? Scheme.HTTPS : Scheme.HTTP)
                .address(address())
                .job(job)
                // the same text exposition lagsnap writes everywhere else (file, stdout)
                .format(Format.PROMETHEUS_TEXT)
                .connectionTimeout(budget)
                .readTimeout(budget)
                .connectionFactory(new BoundedConnections(address(), budget));
        labels.forEach(b::groupingKey);
        extraLabels.forEach(b::groupingKey);
        return auth.applyTo(b).build();
    }
}
