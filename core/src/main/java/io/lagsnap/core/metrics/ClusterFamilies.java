package io.lagsnap.core.metrics;

import io.lagsnap.sink.api.metrics.Labels;
import io.lagsnap.sink.api.metrics.MetricFamily;
import io.lagsnap.sink.api.model.ClusterSnapshot;
import java.util.ArrayList;
import java.util.List;

/**
 * Builds one cluster's families. Every series is labelled cluster_name, then the family's own labels, then the
 * cluster's custom labels; the label-name array is built once per family and shared by its samples, so 100k samples
 * cost 100k value arrays, not 100k maps.
 */
final class ClusterFamilies {
    private final String cluster;
    private final String[] customNames;
    private final String[] customValues;
    private final List<Family> started = new ArrayList<>();

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
        String[] names = new String[1 + own.length + customNames.length];
        names[0] = "cluster_name";
        System.arraycopy(own, 0, names, 1, own.length);
        System.arraycopy(customNames, 0, names, 1 + own.length, customNames.length);
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
            String[] values = new String[names.length];
            values[0] = cluster;
            System.arraycopy(own, 0, values, 1, own.length);
            System.arraycopy(customValues, 0, values, 1 + own.length, customValues.length);
            samples.add(new MetricFamily.Sample(Labels.of(names, values), value));
        }
    }
}
