package io.lagsnap.sink.api.model;

/** klag-exporter's granularity: "topic" drops the per-partition consumer series, "partition" keeps them. */
public enum Granularity {
    TOPIC,
    PARTITION
}
