package io.lagsnap.sink.api.model;

import java.util.List;
import java.util.Objects;

/**
 * The trend of one series, from the trend state a run keeps ({@code [run] state}, docs/trends.md): a whole group
 * ({@code topic} and {@code partition} null), one topic of a group at topic granularity ({@code partition} null) or
 * one partition at partition granularity. Immutable; build one with {@link #builder}.
 *
 * @param status the window's status name: OK, WARN, REWIND, STALL, STOP or ERR
 * @param statusCode its code, rising with severity (0 OK to 5 ERR), as in {@code kafka_consumergroup_group_status}
 * @param consumeRate committed records per second over the window; null with no window yet (one point)
 * @param produceRate records written per second over the window; null with no window yet
 * @param etaSeconds seconds to catch up; {@link Double#POSITIVE_INFINITY} when not gaining; null with no window yet
 * @param points oldest first: a group's kept points (up to an hour at a 1-minute schedule, the charts), a topic's or
 *     partition's status window
 */
public record SeriesTrend(String group, String topic, Integer partition, String status, int statusCode,
                          Double consumeRate, Double produceRate, Double etaSeconds, List<LagPoint> points) {
    public SeriesTrend {
        Objects.requireNonNull(group, "group");
        Objects.requireNonNull(status, "status");
        points = List.copyOf(points);
    }

    public boolean isGroup() {
        return topic == null;
    }

    /** A builder for a series of {@code group}: a group series with status OK, no rates and no points until set. */
    public static Builder builder(String group) {
        return new Builder(group);
    }

    public static final class Builder {
        private final String group;
        private String topic;
        private Integer partition;
        private String status = "OK";
        private int statusCode;
        private Double consumeRate;
        private Double produceRate;
        private Double etaSeconds;
        private List<LagPoint> points = List.of();

        private Builder(String group) {
            this.group = group;
        }

        public Builder topic(String v) {
            topic = v;
            return this;
        }

        public Builder partition(Integer v) {
            partition = v;
            return this;
        }

        public Builder status(String name, int code) {
            status = name;
            statusCode = code;
            return this;
        }

        /** The window's rates and time to catch up; all null with no window yet. */
        public Builder rates(Double consume, Double produce, Double eta) {
            consumeRate = consume;
            produceRate = produce;
            etaSeconds = eta;
            return this;
        }

        public Builder points(List<LagPoint> v) {
            points = v;
            return this;
        }

        public SeriesTrend build() {
            return new SeriesTrend(group, topic, partition, status, statusCode, consumeRate, produceRate, etaSeconds,
                    points);
        }
    }
}
