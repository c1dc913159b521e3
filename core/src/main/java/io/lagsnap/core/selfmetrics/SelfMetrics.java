package io.lagsnap.core.selfmetrics;

import io.lagsnap.sink.api.metrics.MetricFamily;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ConcurrentMap;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * lagsnap's own metrics: counters, gauges and latency trackers, each series created on first use and then recorded
 * without locks. Names follow Prometheus conventions, and this registry enforces them: counters end in
 * {@code _total}, gauges do not, latency trackers are in {@code _seconds} and count in {@code _total}.
 */
public final class SelfMetrics {
    private static final Pattern NAME = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");
    private static final Pattern LABEL = Pattern.compile("[a-zA-Z_][a-zA-Z0-9_]*");

    private enum Kind {
        COUNTER,
        GAUGE,
        LATENCY
    }

    private record Key(String name, Map<String, String> labels) {
    }

    private record Definition(Kind kind, String help, String countName) {
    }

    private record Meter(MetricId id, Kind kind, String countName, Object instrument) {
    }

    private final ConcurrentMap<String, Definition> definitions = new ConcurrentHashMap<>();
    /** Names as Prometheus text writes them without "_total": a gauge X and a counter X_total would clash. */
    private final ConcurrentMap<String, String> exportedNames = new ConcurrentHashMap<>();
    private final ConcurrentMap<Key, Meter> meters = new ConcurrentHashMap<>();
    private final Queue<Meter> order = new ConcurrentLinkedQueue<>();

    public Counter counter(String name, String help, Map<String, String> labels) {
        require(name.endsWith("_total"), name, "a counter's name must end in _total");
        return (Counter) meter(name, help, labels, Kind.COUNTER, null, Counter::new);
    }

    public Gauge gauge(String name, String help, Map<String, String> labels) {
        require(!name.endsWith("_total"), name, "a gauge's name must not end in _total");
        return (Gauge) meter(name, help, labels, Kind.GAUGE, null, Gauge::new);
    }

    /**
     * A latency tracker exported as {@code countName} (observations, a counter), {@code secondsName_total} (their
     * sum) and {@code secondsName_min} / {@code secondsName_max} (gauges).
     */
    public LatencyTracker latency(String secondsName, String countName, String help, Map<String, String> labels) {
        require(secondsName.endsWith("_seconds"), secondsName, "a latency tracker's name must end in _seconds");
        require(countName.endsWith("_total"), countName, "a latency tracker's count must end in _total");
        return (LatencyTracker) meter(secondsName, help, labels, Kind.LATENCY, countName, LatencyTracker::new);
    }

    /** Every series, once, in the order each was first created. */
    public void visit(MetricVisitor visitor) {
        for (Meter m : order) {
            switch (m.kind()) {
                case COUNTER -> visitor.counter(m.id(), ((Counter) m.instrument()).value());
                case GAUGE -> visitor.gauge(m.id(), ((Gauge) m.instrument()).value());
                case LATENCY -> {
                    LatencyTracker t = (LatencyTracker) m.instrument();
                    visitor.latency(m.id(), m.countName(), t.count(), t.sum(), t.min(), t.max());
                }
            }
        }
    }

    /** The metric families every sink encodes, one per name. */
    public List<MetricFamily> families() {
        FamilyExporter exporter = new FamilyExporter();
        visit(exporter);
        return exporter.families();
    }

    private Object meter(String name, String help, Map<String, String> labels, Kind kind, String countName,
                         Supplier<Object> create) {
        Definition wanted = new Definition(kind, help, countName);
        Definition known = definitions.computeIfAbsent(name, n -> {
            require(NAME.matcher(n).matches(), n, "not a valid metric name");
            List<String> exported = kind == Kind.COUNTER ? List.of(base(n))
                    : kind == Kind.GAUGE ? List.of(n) : List.of(base(countName), n, n + "_min", n + "_max");
            for (String e : exported) {
                String owner = exportedNames.putIfAbsent(e, n);
                require(owner == null, n, "clashes with " + owner + " in Prometheus text");
            }
            return wanted;
        });
        require(known.equals(wanted), name, "already defined as " + known + ", now as " + wanted);
        Meter meter = meters.computeIfAbsent(new Key(name, Map.copyOf(labels)), k -> {
            labels.keySet().forEach(l -> require(LABEL.matcher(l).matches(), name,
                    "\"" + l + "\" is not a valid label name"));
            Meter m = new Meter(new MetricId(name, help, labels), kind, countName, create.get());
            order.add(m);
            return m;
        });
        return meter.instrument();
    }

    private static String base(String name) {
        return name.substring(0, name.length() - "_total".length());
    }

    private static void require(boolean ok, String name, String why) {
        if (!ok) {
            throw new IllegalArgumentException("self-metric " + name + ": " + why);
        }
    }
}
