package io.lagsnap.sink.api.model;

/**
 * Which of a row's two lags its metrics report: to the high watermark (read_uncommitted, klag-exporter's) or to
 * the last stable offset (read_committed); {@link #label()} is the {@code lag_isolation} value.
 */
public enum Isolation {
    READ_UNCOMMITTED("read_uncommitted"),
    READ_COMMITTED("read_committed");

    private final String label;

    Isolation(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }
}
