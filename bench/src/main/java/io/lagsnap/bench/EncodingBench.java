package io.lagsnap.bench;

import io.lagsnap.core.math.LagMath;
import io.lagsnap.core.metrics.MetricFamilies;
import io.lagsnap.sink.api.format.PrometheusText;
import io.lagsnap.sink.api.format.RowJson;
import io.lagsnap.sink.api.metrics.MetricFamily;
import io.lagsnap.sink.api.model.ClusterSnapshot;
import io.lagsnap.sink.api.model.Granularity;
import io.lagsnap.sink.api.model.GroupState;
import io.lagsnap.sink.api.model.Member;
import io.lagsnap.sink.api.model.PartitionLag;
import io.lagsnap.sink.api.model.Watermarks;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;

/**
 * Warm encoding time of 50,000 rows (1,000 groups × 50 partitions, time lag sampled) by the streaming encoders, into
 * a sink that discards the bytes: NDJSON rows (file, stdout), the same gzipped (object store) and Prometheus text with
 * partition series and with the default topic series (file, Pushgateway). Median wall and thread CPU time of
 * {@value #TIMED} runs after {@value #WARM_UP} warm-up runs: on a busy shared machine the CPU time is the steadier
 * figure.
 */
final class EncodingBench {
    static final int WARM_UP = 20;
    static final int TIMED = 15;

    /** One encoder's result. */
    record Result(String encoder, long rows, long bytes, double medianMs, double medianCpuMs) {
    }

    private EncodingBench() {
    }

    static List<Result> run(int groups, int partitions) throws IOException {
        ClusterSnapshot bare = cluster(groups, partitions, Granularity.PARTITION);
        ClusterSnapshot cluster = bare.withFamilies(MetricFamilies.of(bare));
        List<MetricFamily> families = cluster.families();
        List<Result> out = new ArrayList<>();
        out.add(time("NDJSON rows", cluster.rows().size(), sink -> RowJson.write(cluster, sink)));
        out.add(time("NDJSON rows, gzip", cluster.rows().size(), sink -> {
            try (GZIPOutputStream gzip = new GZIPOutputStream(sink, 64 * 1024)) {
                RowJson.write(cluster, gzip);
            }
        }));
        out.add(time("Prometheus text, partition series", cluster.rows().size(),
                sink -> PrometheusText.write(families, sink)));
        ClusterSnapshot byTopic = cluster(groups, partitions, Granularity.TOPIC);
        List<MetricFamily> topicFamilies = MetricFamilies.of(byTopic);
        out.add(time("Prometheus text, topic series (the default)", byTopic.rows().size(),
                sink -> PrometheusText.write(topicFamilies, sink)));
        return out;
    }

    @FunctionalInterface
    private interface Encoder {
        void encode(OutputStream sink) throws IOException;
    }

    private static Result time(String name, long rows, Encoder encoder) throws IOException {
        Counting sink = new Counting();
        for (int i = 0; i < WARM_UP; i++) {
            encoder.encode(sink);
        }
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        List<Long> nanos = new ArrayList<>();
        List<Long> cpuNanos = new ArrayList<>();
        long bytes = 0;
        for (int i = 0; i < TIMED; i++) {
            sink.bytes = 0;
            long cpu = threads.getCurrentThreadCpuTime();
            long start = System.nanoTime();
            encoder.encode(sink);
            nanos.add(System.nanoTime() - start);
            cpuNanos.add(threads.getCurrentThreadCpuTime() - cpu);
            bytes = sink.bytes;
        }
        return new Result(name, rows, bytes, Measurement.median(nanos) / 1e6, Measurement.median(cpuNanos) / 1e6);
    }

    /** A collected cluster as the runner hands it to sinks, with rows like the benchmark workload's. */
    static ClusterSnapshot cluster(int groups, int partitions, Granularity granularity) {
        Instant now = Instant.now();
        List<PartitionLag> rows = new ArrayList<>(groups * partitions);
        for (int g = 0; g < groups; g++) {
            String group = Workload.group(g);
            String topic = Workload.topic(g / Workload.GROUPS_PER_TOPIC);
            for (int p = 0; p < partitions; p++) {
                long committed = Workload.committedOffset(g, p);
                long lag = Workload.RECORDS_PER_PARTITION - committed;
                long high = Workload.RECORDS_PER_PARTITION;
                rows.add(PartitionLag.builder(group, topic, p).groupState(GroupState.STABLE)
                        .committedOffset(committed).watermarks(new Watermarks(0, high, high)).lag(lag)
                        .lagSeconds(lag == 0 ? 0.0 : 60.0 + lag)
                        .sampled(lag == 0 ? null : committed, lag == 0 ? null : now.minusSeconds(60 + lag))
                        .member(new Member("/10.0.0." + (g % 250), "consumer-" + group + "-1-uuid",
                                "consumer-" + group + "-1"))
                        .retentionMargin(committed).lagRetentionRatio(lag / (double) high).build());
            }
        }
        return ClusterSnapshot.builder("bench").labels(Map.of("env", "bench")).granularity(granularity)
                .time(now).rows(rows).groupTopics(LagMath.groupTopicAggregates(rows)).build();
    }

    /** Discards bytes, counting them. */
    private static final class Counting extends OutputStream {
        long bytes;

        @Override
        public void write(int b) {
            bytes++;
        }

        @Override
        public void write(byte[] b, int off, int len) {
            bytes += len;
        }
    }
}
