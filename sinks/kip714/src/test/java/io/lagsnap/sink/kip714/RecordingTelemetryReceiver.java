package io.lagsnap.sink.kip714;

import com.google.protobuf.InvalidProtocolBufferException;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.MetricsData;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.kafka.common.metrics.KafkaMetric;
import org.apache.kafka.common.metrics.MetricsReporter;
import org.apache.kafka.server.telemetry.ClientTelemetryExporter;
import org.apache.kafka.server.telemetry.ClientTelemetryExporterProvider;

/**
 * The broker-side plugin a KIP-714 deployment needs, set as the broker's {@code metric.reporters}: it keeps every
 * payload clients push. The broker creates it by class name, so the payloads live in a static list.
 */
public class RecordingTelemetryReceiver implements MetricsReporter, ClientTelemetryExporterProvider {
    private static final List<Push> PUSHES = new CopyOnWriteArrayList<>();

    /** One payload as the broker handed it over (already decompressed), with the pushing client's id. */
    record Push(String clientId, boolean terminating, String contentType, byte[] data) {
        MetricsData decode() {
            try {
                return MetricsData.parseFrom(data);
            } catch (InvalidProtocolBufferException e) {
                throw new AssertionError("not an OTLP MetricsData payload", e);
            }
        }
    }

    static List<Push> pushesFrom(String clientId) {
        return PUSHES.stream().filter(p -> p.clientId().equals(clientId)).toList();
    }

    /**
     * Every gauge data point {@code clientId} pushed: metric name → attributes → value. A later push of the same
     * series overwrites an earlier one (lagsnap pushes the same value each time).
     */
    static Map<String, Map<Map<String, String>, Double>> gaugesFrom(String clientId) {
        Map<String, Map<Map<String, String>, Double>> out = new TreeMap<>();
        for (Push push : pushesFrom(clientId)) {
            push.decode().getResourceMetricsList().forEach(rm -> rm.getScopeMetricsList().forEach(sm -> {
                for (Metric metric : sm.getMetricsList()) {
                    for (NumberDataPoint point : metric.getGauge().getDataPointsList()) {
                        out.computeIfAbsent(metric.getName(), n -> new java.util.HashMap<>())
                                .put(attributes(point.getAttributesList()), point.getAsDouble());
                    }
                }
            }));
        }
        return out;
    }

    private static Map<String, String> attributes(List<KeyValue> attributes) {
        Map<String, String> out = new TreeMap<>();
        attributes.forEach(kv -> out.put(kv.getKey(), kv.getValue().getStringValue()));
        return out;
    }

    @Override
    public ClientTelemetryExporter clientTelemetryExporter() {
        return (context, payload) -> {
            ByteBuffer data = payload.data().duplicate();
            byte[] bytes = new byte[data.remaining()];
            data.get(bytes);
            PUSHES.add(new Push(context.authorizableRequestContext().clientId(), payload.isTerminating(),
                    payload.contentType(), bytes));
        };
    }

    @Override
    public void init(List<KafkaMetric> metrics) {
    }

    @Override
    public void metricChange(KafkaMetric metric) {
    }

    @Override
    public void metricRemoval(KafkaMetric metric) {
    }

    @Override
    public void close() {
    }

    @Override
    public void configure(Map<String, ?> configs) {
    }
}
