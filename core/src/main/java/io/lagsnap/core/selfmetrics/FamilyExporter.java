package io.lagsnap.core.selfmetrics;

import io.lagsnap.sink.api.metrics.Labels;
import io.lagsnap.sink.api.metrics.MetricFamily;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Turns self-metrics into {@link MetricFamily} entries, one family per name in first-seen order. */
final class FamilyExporter implements MetricVisitor {
    private record Family(MetricFamily.Type type, String help, List<MetricFamily.Sample> samples) {
    }

    private final Map<String, Family> families = new LinkedHashMap<>();

    @Override
    public void counter(MetricId id, long value) {
        add(id.name(), MetricFamily.Type.COUNTER, id.help(), id.labels(), value);
    }

    @Override
    public void gauge(MetricId id, double value) {
        add(id.name(), MetricFamily.Type.GAUGE, id.help(), id.labels(), value);
    }

    @Override
    public void latency(MetricId id, String countName, long count, Duration sum, Duration min, Duration max) {
        add(countName, MetricFamily.Type.COUNTER, id.help() + ": how many", id.labels(), count);
        add(id.name() + "_total", MetricFamily.Type.COUNTER, id.help() + ": total seconds", id.labels(),
                seconds(sum));
        if (count > 0) {
            add(id.name() + "_min", MetricFamily.Type.GAUGE, id.help() + ": shortest, in seconds", id.labels(),
                    seconds(min));
            add(id.name() + "_max", MetricFamily.Type.GAUGE, id.help() + ": longest, in seconds", id.labels(),
                    seconds(max));
        }
    }

    List<MetricFamily> families() {
        List<MetricFamily> out = new ArrayList<>(families.size());
        families.forEach((name, f) -> out.add(new MetricFamily(name, f.type(), f.help(), f.samples())));
        return out;
    }

    static double seconds(Duration d) {
        return d.toNanos() / 1e9;
    }

    private void add(String name, MetricFamily.Type type, String help, Map<String, String> labels, double value) {
        families.computeIfAbsent(name, n -> new Family(type, help, new ArrayList<>()))
                .samples().add(new MetricFamily.Sample(Labels.of(labels), value));
    }
}
