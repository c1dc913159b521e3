package io.lagsnap.sink.api.model;

/**
 * What timestamp sampling did in one cycle.
 *
 * @param requested distinct (partition, offset) positions that needed a timestamp
 * @param sampled positions that got one, including those with nothing left to consume before the high watermark
 * @param missed positions that got none within the budget or whose fetch failed
 * @param clockSkewed samples whose timestamp lay in the future (lag_seconds reported as 0)
 * @param fetchRequests fetch responses the sampler's consumers received
 * @param bytesFetched record bytes received for sampling
 */
public record SamplingStats(long requested, long sampled, long missed, long clockSkewed, long fetchRequests,
                            long bytesFetched) {
    public static final SamplingStats NONE = new SamplingStats(0, 0, 0, 0, 0, 0);
}
