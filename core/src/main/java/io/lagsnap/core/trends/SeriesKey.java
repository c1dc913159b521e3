package io.lagsnap.core.trends;

import java.util.Comparator;

/**
 * What a series describes: a whole group ({@code topic} empty, {@code partition} -1), one topic of a group
 * ({@code partition} -1, at topic granularity) or one partition of a group (at partition granularity).
 */
public record SeriesKey(String group, String topic, int partition) implements Comparable<SeriesKey> {
    public static final int ALL_PARTITIONS = -1;
    private static final Comparator<SeriesKey> ORDER = Comparator.comparing(SeriesKey::group)
            .thenComparing(SeriesKey::topic).thenComparingInt(SeriesKey::partition);

    public static SeriesKey ofGroup(String group) {
        return new SeriesKey(group, "", ALL_PARTITIONS);
    }

    public static SeriesKey ofTopic(String group, String topic) {
        return new SeriesKey(group, topic, ALL_PARTITIONS);
    }

    public boolean isGroup() {
        return topic.isEmpty();
    }

    @Override
    public int compareTo(SeriesKey other) {
        return ORDER.compare(this, other);
    }
}
