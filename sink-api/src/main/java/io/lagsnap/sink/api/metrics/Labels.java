package io.lagsnap.sink.api.metrics;

import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Label names and values of one sample. Names are a shared array per family shape, so 100k samples cost 100k value
 * arrays, not 100k maps.
 */
public final class Labels {
    private final String[] names;
    private final String[] values;

    private Labels(String[] names, String[] values) {
        if (names.length != values.length) {
            throw new IllegalArgumentException(Arrays.toString(names) + " vs " + Arrays.toString(values));
        }
        this.names = names;
        this.values = values;
    }

    /**
     * Labels from parallel arrays. {@code names} may be shared by every sample of a family and must not be changed
     * afterwards.
     */
    public static Labels of(String[] names, String[] values) {
        return new Labels(names, values);
    }

    /** Labels in the map's order. */
    public static Labels of(Map<String, String> labels) {
        return new Labels(labels.keySet().toArray(String[]::new), labels.values().toArray(String[]::new));
    }

    public int size() {
        return names.length;
    }

    public String name(int i) {
        return names[i];
    }

    public String value(int i) {
        return values[i];
    }

    /** Whether these are the label names, in this order. */
    public boolean hasNames(String[] names) {
        return Arrays.equals(this.names, names);
    }

    public List<String> names() {
        return List.of(names);
    }

    /** The value of a label, or null. */
    public String get(String name) {
        for (int i = 0; i < names.length; i++) {
            if (names[i].equals(name)) {
                return values[i];
            }
        }
        return null;
    }

    public Map<String, String> asMap() {
        var m = new java.util.LinkedHashMap<String, String>();
        for (int i = 0; i < names.length; i++) {
            m.put(names[i], values[i]);
        }
        return m;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Labels l && Arrays.equals(names, l.names) && Arrays.equals(values, l.values);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(names) + Arrays.hashCode(values);
    }

    @Override
    public String toString() {
        return asMap().toString();
    }
}
