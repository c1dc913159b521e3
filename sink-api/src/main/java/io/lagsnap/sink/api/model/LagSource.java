package io.lagsnap.sink.api.model;

/** Where a row's {@code lag} comes from; {@link #label()} is the {@code lag_source} value. */
public enum LagSource {
    /** lagsnap computed it: high watermark minus the committed (or share start) offset, clamped at 0. */
    COMPUTED("computed"),
    /** The broker reported it (KIP-1226, share groups): records not yet acknowledged, in flight included. */
    BROKER("broker");

    private final String label;

    LagSource(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }
}
