package io.lagsnap.sink.api.model;

/** The kind of Kafka group, as ListGroups reports it; {@link #label()} is the {@code group_type} value. */
public enum GroupType {
    /** A KIP-848 consumer group (group.protocol=consumer). */
    CONSUMER("consumer"),
    /** A classic consumer group, or a group that only holds committed offsets. */
    CLASSIC("classic"),
    /** A KIP-932 share group: its position is the share-partition start offset, not a committed offset. */
    SHARE("share"),
    /** A KIP-1071 Kafka Streams group. */
    STREAMS("streams");

    private final String label;

    GroupType(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }
}
