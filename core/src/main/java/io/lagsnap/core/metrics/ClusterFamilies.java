package io.lagsnap.core.metrics;

import io.lagsnap.sink.api.metrics.Labels;
import io.lagsnap.sink.api.metrics.MetricFamily;
import io.lagsnap.sink.api.model.ClusterSnapshot;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Builds one cluster's families. Every series is labelled cluster_name, then the family's own labels, then the
 * cluster's custom labels; the label-name array is built once per label shape and shared by its families' samples,
 * so 100k samples cost 100k value arrays, not 100k maps. Families of one shape can share a sample's {@link Labels}
 * (a row's labels on each per-partition family): fewer objects here, and an encoder converts each set once.
 */
final class ClusterFamilies {
    private final String cluster;
    private final String[] customNames;
    private final String[] customValues;
    private final List<Family> started = new ArrayList<>();
    private final Map<List<String>, String[]> namesByShape = new HashMap<>();

    ClusterFamilies(ClusterSnapshot c) {
        this.cluster = c.name();
        this.customNames = c.labels().keySet().toArray(String[]::new);
        this.customValues = c.labels().values().toArray(String[]::new);
    }

    Family gauge(String name, String help, String... own) {
        return family(name, MetricFamily.Type.GAUGE, help, own);
    }

    Family counter(String name, String help, String... own) {
        return family(name, MetricFamily.Type.COUNTER, help, own);
    }

    /** A family with one series labelled by the cluster alone. */
    void single(String name, String help, double value) {
        gauge(name, help).add(value);
    }

    /** Every family in the order it was started, without those that got no sample. */
    List<MetricFamily> families() {
        return started.stream().filter(f -> !f.samples.isEmpty())
                .map(f -> new MetricFamily(f.name, f.type, f.help, f.samples)).toList();
    }

    private Family family(String name, MetricFamily.Type type, String help, String... own) {
        String[] shape = new String[1 + own.length + customNames.length];
        shape[0] = "cluster_name";
        System.arraycopy(own, 0, shape, 1, own.length);
        System.arraycopy(customNames, 0, shape, 1 + own.length, customNames.length);
        String[] names = namesByShape.computeIfAbsent(List.of(shape), k -> shape);
        Family family = new Family(name, type, help, names);
        started.add(family);
        return family;
    }

    /** The samples of one family, added in order. */
    final class Family {
        private final String name;
        private final MetricFamily.Type type;
        private final String help;
        private final String[] names;
        private final List<MetricFamily.Sample> samples = new ArrayList<>();

        private Family(String name, MetricFamily.Type type, String help, String[] names) {
            this.name = name;
            this.type = type;
            this.help = help;
            this.names = names;
        }

        void add(double value, String... own) {
            add(value, labels(own));
        }

        /** Adds a sample with labels from {@link #labels} of this family or of another with the same label names. */
        void add(double value, Labels labels) {
            if (!labels.hasNames(names)) {
                throw new IllegalArgumentException(name + " is labelled " + List.of(names) + ", not " + labels.names());
            }
            samples.add(new MetricFamily.Sample(labels, value));
        }

        /** The full label set of a sample with these values of the family's own labels. */
        Labels labels(String... own) {
            String[] values = new String[names.length];
            values[0] = cluster;
            System.arraycopy(own, 0, values, 1, own.length);
            System.arraycopy(customValues, 0, values, 1 + own.length, customValues.length);
            return Labels.of(names, values);
        }
    }
}
