package io.lagsnap.testkit;

/**
 * Finds Kafka protocol frames ({@code int32 size} then the payload) in one direction of a TCP stream, fed in chunks of
 * any size, and reports each frame's first header fields: for requests api key, api version and correlation id
 * ({@code int16, int16, int32}), for responses the correlation id ({@code int32}).
 */
final class KafkaFrames {
    /** Called once per frame, when its header has been read. */
    @FunctionalInterface
    interface Listener {
        void frame(short apiKey, int correlationId);
    }

    private final boolean requests;
    private final Listener listener;
    private final byte[] head = new byte[12];
    private int headLength;
    private long bodyLeft;

    /** @param requests true for the client-to-broker direction */
    KafkaFrames(boolean requests, Listener listener) {
        this.requests = requests;
        this.listener = listener;
    }

    private int headerBytes() {
        return requests ? 12 : 8;
    }

    void feed(byte[] bytes, int offset, int length) {
        int i = offset;
        int end = offset + length;
        while (i < end) {
            if (bodyLeft > 0) {
                int skip = (int) Math.min(bodyLeft, end - i);
                bodyLeft -= skip;
                i += skip;
                continue;
            }
            head[headLength++] = bytes[i++];
            if (headLength == headerBytes()) {
                int size = readInt(0);
                if (requests) {
                    listener.frame((short) (((head[4] & 0xff) << 8) | (head[5] & 0xff)), readInt(8));
                } else {
                    listener.frame((short) -1, readInt(4));
                }
                bodyLeft = size - (headerBytes() - 4);
                headLength = 0;
            }
        }
    }

    private int readInt(int at) {
        return ((head[at] & 0xff) << 24) | ((head[at + 1] & 0xff) << 16) | ((head[at + 2] & 0xff) << 8)
                | (head[at + 3] & 0xff);
    }
}
