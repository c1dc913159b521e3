package io.lagsnap.core.trends;

/** The size the docs promise for a full trend object, shared by the size test and the docs' figure. */
final class TrendCodecBounds {
    /**
     * 1,000 groups x 50 partitions, every bound full, every partition moving by a random amount each minute, every
     * group point with a random time lag (the test's seeded state encodes to 4,645,523 bytes): 4.5 MiB. See
     * docs/trends.md.
     */
    static final int THOUSAND_BY_FIFTY_BYTES = 4608 * 1024;

    private TrendCodecBounds() {
    }
}
