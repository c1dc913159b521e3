package io.lagsnap.sink.kip714;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.metrics.Gauge;

/**
 * Watches an Admin client push this run's series, through what the client shows: it reads every registered gauge
 * when it builds a push, turns a value into an OTLP data point only when the subscription requests its name, and
 * counts requests sent and responses received in its documented {@code admin-client-metrics}. So a push is known to
 * carry a series, to have been sent, and to have been answered. The answer's error code (e.g. a payload above the
 * broker's {@code telemetry.max.bytes}) is not exposed by the client.
 */
final class PushTracker {
    private static final String ADMIN_METRICS = "admin-client-metrics";

    private final Metric requestsSent;
    private final Metric responsesReceived;
    /** Requests the client had sent when it began building its first push; -1 until then. */
    private final AtomicLong requestsBeforePush = new AtomicLong(-1);
    private final AtomicInteger seriesPushed = new AtomicInteger();

    private PushTracker(Metric requestsSent, Metric responsesReceived) {
        this.requestsSent = requestsSent;
        this.responsesReceived = responsesReceived;
    }

    static PushTracker of(Admin admin) {
        return new PushTracker(metric(admin, "request-total"), metric(admin, "response-total"));
    }

    /** A gauge of {@code value} that reports its reads and conversions here. */
    Gauge<Number> gauge(double value) {
        Number observed = new ObservedValue(value);
        return (config, now) -> {
            // the client reads gauges only while building a push, on its network thread, before sending it
            if (requestsBeforePush.get() < 0) {
                requestsBeforePush.compareAndSet(-1, count(requestsSent));
            }
            return observed;
        };
    }

    boolean pushBuilt() {
        return requestsBeforePush.get() >= 0;
    }

    /** The first push has been sent and nothing the client sent is still unanswered. */
    boolean pushAnswered() {
        long before = requestsBeforePush.get();
        if (before < 0) {
            return false;
        }
        long received = count(responsesReceived); // first: a response never precedes its request
        long sent = count(requestsSent);
        return sent > before && received >= sent;
    }

    /** How many distinct series a push has carried. */
    int seriesPushed() {
        return seriesPushed.get();
    }

    private static long count(Metric metric) {
        return ((Number) metric.metricValue()).longValue();
    }

    private static Metric metric(Admin admin, String name) {
        return admin.metrics().entrySet().stream()
                .filter(e -> e.getKey().group().equals(ADMIN_METRICS) && e.getKey().name().equals(name))
                .map(java.util.Map.Entry::getValue)
                .findFirst()
                .orElseThrow(() -> new IllegalStateException("the Admin client has no " + ADMIN_METRICS + " " + name));
    }

    /** A value that notices being converted into a data point, which happens only when the subscription wants it. */
    private final class ObservedValue extends Number {
        private final double value;
        private final AtomicBoolean pushed = new AtomicBoolean();

        ObservedValue(double value) {
            this.value = value;
        }

        @Override
        public double doubleValue() {
            if (pushed.compareAndSet(false, true)) {
                seriesPushed.incrementAndGet();
            }
            return value;
        }

        @Override
        public int intValue() {
            return (int) doubleValue();
        }

        @Override
        public long longValue() {
            return (long) doubleValue();
        }

        @Override
        public float floatValue() {
            return (float) doubleValue();
        }
    }
}
