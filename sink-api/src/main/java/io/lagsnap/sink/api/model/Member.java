package io.lagsnap.sink.api.model;

/** The group member a partition is assigned to; {@link #NONE} (empty strings) when no member holds it. */
public record Member(String host, String consumerId, String clientId) {
    public static final Member NONE = new Member("", "", "");
}
