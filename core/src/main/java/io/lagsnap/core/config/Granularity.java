package io.lagsnap.core.config;

/** klag-exporter's granularity: "topic" drops the per-partition consumer series, "partition" keeps them. */
public enum Granularity {
    TOPIC,
    PARTITION
}
