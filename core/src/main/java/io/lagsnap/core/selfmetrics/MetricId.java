package io.lagsnap.core.selfmetrics;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/** One series of a self-metric: its name, help and labels, in the order given. */
public record MetricId(String name, String help, Map<String, String> labels) {
    public MetricId {
        labels = Collections.unmodifiableMap(new LinkedHashMap<>(labels));
    }
}
