package io.lagsnap.sink.api;

/** What a sink reports back: delivered or not, and a short human detail (never a secret or a payload). */
public record Delivery(boolean delivered, String detail) {
    public static Delivery ok(String detail) {
        return new Delivery(true, detail);
    }

    /** A second-round success that leaves the first round's detail as it was ({@link Sink#deliverReport}). */
    public static Delivery unchanged() {
        return new Delivery(true, "");
    }

    public static Delivery failed(String detail) {
        return new Delivery(false, detail);
    }
}
