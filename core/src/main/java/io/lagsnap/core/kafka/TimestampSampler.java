package io.lagsnap.core.kafka;

import io.lagsnap.sink.api.Deadline;
import io.lagsnap.sink.api.model.ErrorKind;
import io.lagsnap.sink.api.model.ItemError;
import io.lagsnap.sink.api.model.Phase;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Properties;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the timestamp of the first record at or after each wanted offset, for many partitions at once: consumers
 * without a group id (so no consumer group is ever created), all partitions of a wave assigned and seeked, polled
 * until every partition has its samples or the budget is spent, each partition paused as soon as it is done. Several
 * offsets of one partition reuse the batches already fetched. Reads read_uncommitted by default, so an open
 * transaction never blocks, and stops at the high watermark the snapshot was taken at; read_committed stops at the
 * last stable offset instead and skips aborted records. Payloads are discarded unread.
 */
public final class TimestampSampler {
    private static final Logger LOG = LoggerFactory.getLogger(TimestampSampler.class);

    /**
     * Per partition and fetch: four default (16 KiB) producer batches, so a deep backlog costs 64 KiB, not Kafka's
     * default 1 MiB. A partition whose first batch is larger comes back empty unless it leads the response (KIP-74),
     * which would cost one round trip per such partition: those go to the wide consumer.
     */
    static final int NARROW_PARTITION_FETCH_BYTES = 64 * 1024;
    /** Kafka's default, the broker's default largest batch (message.max.bytes): any usual batch fits. */
    static final int WIDE_PARTITION_FETCH_BYTES = 1024 * 1024;
    /** Bounds one fetch response, and so the sampler's memory, per broker, whatever the number of partitions. */
    static final int FETCH_MAX_BYTES = 16 * 1024 * 1024;
    /**
     * How long the broker may hold a fetch that finds no data. A sampled partition always has data below the high
     * watermark, so only the fetch the consumer sends ahead for partitions already done waits, and closing waits
     * for it: Kafka's default 500 ms would add half a second to every run.
     */
    static final int FETCH_MAX_WAIT_MS = 20;
    private static final Duration MAX_POLL = Duration.ofMillis(200);
    /**
     * Records handed over per poll. The consumer decodes fetched batches into records only as polls take them, so
     * this bounds the records in memory at once (about 185 bytes each): unbounded, one poll of a 250,000-row cycle
     * held 676,000 of them, 125 MB. A smaller poll costs no round trip; the rest stays buffered for the next poll.
     */
    static final int MAX_POLL_RECORDS = 10_000;
    /** How long the set-up thread polls between checks whether {@link #sample} takes over. */
    private static final Duration SET_UP_POLL = Duration.ofMillis(5);
    /** Every cluster has it; its metadata is small. */
    private static final String OFFSETS_TOPIC = "__consumer_offsets";
    /**
     * Closing sends each broker the end of its fetch session, so the broker frees it at once. Nothing waits for that
     * answer: the consumers close on a thread of their own once the samples are in (see {@link Consumers#close}).
     */
    private static final Duration MAX_CLOSE = Duration.ofSeconds(1);

    /** A (partition, offset) whose record timestamp could not be read. */
    private record Position(TopicPartition partition, long offset) {
    }

    /**
     * The first record at or after a wanted offset and below the high watermark. When there is none (only
     * transaction markers or records removed by compaction lie before it), {@code offset} is the high watermark and
     * {@code timestampMs} is null: nothing is left to consume.
     */
    public record Sample(long offset, Long timestampMs) {
    }

    /**
     * @param fetchRequests fetch responses the sampler's consumers received
     * @param bytesFetched bytes of record data received
     */
    public record Result(Samples samples, List<ItemError> errors, long fetchRequests, long bytesFetched) {
    }

    private final Properties narrowProperties;
    private final Properties wideProperties;
    private final int maxPartitionsPerWave;
    private Consumers consumers = new Consumers();
    private SetUp setUp;

    public TimestampSampler(Properties clientProperties, int maxPartitionsPerWave) {
        this(clientProperties, maxPartitionsPerWave, IsolationLevel.READ_UNCOMMITTED);
    }

    /**
     * @param isolation read_committed samples the first record a read_committed consumer would receive: aborted
     *     records are skipped, and the limits passed to {@link #sample} must then be last stable offsets
     */
    public TimestampSampler(Properties clientProperties, int maxPartitionsPerWave, IsolationLevel isolation) {
        this.narrowProperties = consumerProperties(clientProperties, NARROW_PARTITION_FETCH_BYTES, "", isolation);
        this.wideProperties = consumerProperties(clientProperties, WIDE_PARTITION_FETCH_BYTES, "-wide", isolation);
        this.maxPartitionsPerWave = maxPartitionsPerWave;
    }

    private static Properties consumerProperties(Properties clientProperties, int partitionFetchBytes,
                                                 String clientIdSuffix, IsolationLevel isolation) {
        Properties p = new Properties();
        p.putAll(clientProperties);
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        // an offset retention removed since the watermarks were read: the oldest record still there is the answer
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, isolation.toString());
        p.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, Integer.toString(partitionFetchBytes));
        p.put(ConsumerConfig.FETCH_MAX_BYTES_CONFIG, Integer.toString(FETCH_MAX_BYTES));
        p.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, Integer.toString(FETCH_MAX_WAIT_MS));
        p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, Integer.toString(MAX_POLL_RECORDS));
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, DiscardingDeserializer.class.getName());
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, DiscardingDeserializer.class.getName());
        p.remove(ConsumerConfig.GROUP_ID_CONFIG);
        p.remove(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG);
        // nor gets partitions from a group: a librdkafka assignment strategy ("range,roundrobin") would not load
        p.remove(ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG);
        if (p.getProperty(ConsumerConfig.CLIENT_ID_CONFIG) != null) {
            p.put(ConsumerConfig.CLIENT_ID_CONFIG, p.getProperty(ConsumerConfig.CLIENT_ID_CONFIG) + clientIdSuffix);
        }
        return p;
    }

    /**
     * Checks the consumer configuration a sampler builds from {@code clientProperties} (typed values, classes), as
     * {@code validate} does before anything is contacted; throws Kafka's {@code ConfigException}.
     */
    public static void checkConsumerConfig(Properties clientProperties) {
        new ConsumerConfig(consumerProperties(clientProperties, NARROW_PARTITION_FETCH_BYTES, "",
                IsolationLevel.READ_UNCOMMITTED));
    }

    /**
     * Starts the consumer's set-up on a thread of its own, while the caller waits for something else: the consumer
     * is created and connects to a bootstrap broker (its cluster's and the topic list's Metadata), then learns the
     * leaders of the partitions {@link #prepare} names and connects to them, until {@link #sample} takes it over. So
     * neither a cold consumer's creation nor its connections wait for the caller, and sampling starts with a Fetch.
     * A failure is left for {@link #sample} to meet afresh and report per position.
     */
    public void open(Deadline deadline) {
        if (setUp == null) {
            setUp = new SetUp(deadline);
        }
    }

    /**
     * Names the partitions (a superset of those {@link #sample} will get) whose leaders the consumer learns and
     * connects to meanwhile. Nothing is fetched or reset: each partition gets a position and is paused.
     */
    public void prepare(Collection<TopicPartition> partitions, Deadline deadline) {
        open(deadline);
        setUp.partitions = List.copyOf(partitions);
    }

    /** Closes the consumers if {@link #sample} did not (it was never called). */
    public void close() {
        if (setUp != null) {
            consumers = setUp.takeOver(Duration.ZERO);
            setUp = null;
        }
        consumers.close();
    }

    /** Takes the consumer over from its set-up thread, waiting at most until {@code budget} expires. */
    private void takeOver(Deadline budget) {
        if (setUp != null) {
            consumers = setUp.takeOver(budget.remaining());
            setUp = null;
        }
    }

    /**
     * @param wanted offsets to sample, per partition: distinct and ascending (see {@link WantedOffsets})
     * @param highWatermarks the high watermark per partition, as the snapshot read it: records at or after it were
     *     written after the snapshot time and are never sampled
     */
    public Result sample(Map<TopicPartition, long[]> wanted, Map<TopicPartition, Long> highWatermarks,
                         Deadline budget) {
        Samples samples = new Samples();
        Map<Position, ItemError> failures = new LinkedHashMap<>();
        Map<TopicPartition, Open> toFetch = new LinkedHashMap<>();
        wanted.forEach((tp, offsets) -> {
            long high = highWatermarks.getOrDefault(tp, Long.MAX_VALUE);
            int below = Open.countBelow(offsets, high);
            // at or past the high watermark (everything deleted under data loss) nothing is left to consume
            for (int i = below; i < offsets.length; i++) {
                samples.put(tp, offsets, i, high, null);
            }
            if (below > 0) {
                toFetch.put(tp, new Open(offsets, below));
            }
        });
        if (toFetch.isEmpty()) {
            return new Result(samples, List.of(), 0, 0);
        }
        ErrorKind kind = ErrorKind.TIMEOUT;
        String message = "no record fetched within the sampling budget (leader unavailable or fetch failing)";
        try {
            takeOver(budget);
            List<TopicPartition> all = new ArrayList<>(toFetch.keySet());
            for (int from = 0; from < all.size() && !budget.expired(); from += maxPartitionsPerWave) {
                List<TopicPartition> partitions = all.subList(from, Math.min(all.size(), from + maxPartitionsPerWave));
                new Wave(partitions, toFetch, highWatermarks, samples, failures).run(consumers, budget);
            }
        } catch (InterruptException e) {
            Thread.currentThread().interrupt();
            kind = ErrorKind.INTERRUPTED;
            message = "run interrupted";
        } catch (KafkaException e) {
            // no consumer could be created: nothing can be sampled on this cluster
            kind = ItemErrors.kind(e);
            message = ItemErrors.message(e);
        } finally {
            consumers.close();
        }
        for (Map.Entry<TopicPartition, Open> e : toFetch.entrySet()) {
            long[] offsets = e.getValue().offsets;
            for (int i = 0; i < e.getValue().end; i++) {
                if (!samples.has(e.getKey(), i)) {
                    Position p = new Position(e.getKey(), offsets[i]);
                    failures.putIfAbsent(p, error(p, kind, message));
                }
            }
        }
        Result result = new Result(samples, List.copyOf(failures.values()), consumers.metric("fetch-total"),
                consumers.metric("bytes-consumed-total"));
        // a later sample() counts its own requests
        consumers = new Consumers();
        return result;
    }

    private static ItemError error(Position p, ErrorKind kind, String message) {
        return new ItemError(Phase.SAMPLING, p.partition() + "@" + p.offset(), kind, message);
    }

    /**
     * The narrow consumer's set-up on a thread of its own, which owns the consumer until {@link #takeOver}. Polled
     * with every partition paused, it only connects and keeps the leaders' metadata. A set-up that failed, or that
     * is still blocked when the caller stops waiting, closes its consumer, and the caller starts afresh.
     */
    private final class SetUp {
        private final Consumers consumers = new Consumers();
        private final Thread thread;
        private volatile List<TopicPartition> partitions;
        private volatile boolean takenOver;
        private boolean failed;
        private boolean abandoned;

        SetUp(Deadline deadline) {
            thread = new Thread(() -> run(deadline), "lagsnap-sampler-set-up");
            thread.setDaemon(true);
            thread.start();
        }

        private void run(Deadline deadline) {
            try {
                KafkaConsumer<Object, Object> consumer = consumers.narrow();
                connect(consumer, deadline);
                List<TopicPartition> assigned = null;
                while (!takenOver && !deadline.expired()) {
                    List<TopicPartition> named = partitions;
                    if (assigned == null && named != null) {
                        consumer.assign(named);
                        named.forEach(tp -> consumer.seek(tp, 0));
                        consumer.pause(named);
                        assigned = named;
                    }
                    if (assigned != null) {
                        consumer.poll(SET_UP_POLL);
                    } else {
                        LockSupport.parkNanos(SET_UP_POLL.toNanos());
                    }
                }
            } catch (KafkaException e) {
                LOG.debug("sampling: setting the consumer up failed: {}", ItemErrors.message(e));
                fail();
            }
            synchronized (this) {
                if (abandoned) {
                    consumers.close();
                }
            }
        }

        /**
         * Connects (and authenticates) to a bootstrap broker while the caller waits for the groups, with one small
         * Metadata request: listTopics would fetch every partition of the cluster. A principal with only the ACLs
         * lagsnap needs may not describe the offsets topic; the connection is made all the same.
         */
        private static void connect(KafkaConsumer<Object, Object> consumer, Deadline deadline) {
            try {
                consumer.partitionsFor(OFFSETS_TOPIC, deadline.remaining());
            } catch (AuthorizationException e) {
                LOG.debug("sampling: connected; the offsets topic is not described to this principal");
            }
        }

        private synchronized void fail() {
            failed = true;
            consumers.close();
        }

        /** The set-up consumer once its thread has ended within {@code wait}, else a fresh one. */
        Consumers takeOver(Duration wait) {
            takenOver = true;
            try {
                thread.join(Math.max(1, wait.toMillis()));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            synchronized (this) {
                if (thread.isAlive() || failed) {
                    abandoned = true;
                    return new Consumers();
                }
                return consumers;
            }
        }
    }

    /**
     * The narrow consumer samples every wave; the wide one is opened only when a wave's first batches turn out
     * larger than the narrow fetch size, and then takes over that wave's remaining partitions.
     */
    private final class Consumers {
        private final Map<String, Double> closedMetrics = new HashMap<>();
        private KafkaConsumer<Object, Object> narrow;
        private KafkaConsumer<Object, Object> wide;

        KafkaConsumer<Object, Object> narrow() {
            if (narrow == null) {
                narrow = new KafkaConsumer<>(narrowProperties);
            }
            return narrow;
        }

        KafkaConsumer<Object, Object> wide() {
            if (wide == null) {
                wide = new KafkaConsumer<>(wideProperties);
            }
            return wide;
        }

        /**
         * Takes the metrics of the consumers still open, then closes them on a thread of their own: ending a fetch
         * session is a round trip (with the Fetch the consumer sent ahead) whose answer nothing here needs, so the
         * cycle does not wait for it. Once closed, the metrics stay.
         */
        void close() {
            List<KafkaConsumer<Object, Object>> open = new ArrayList<>();
            for (KafkaConsumer<Object, Object> c : Arrays.asList(narrow, wide)) {
                if (c != null) {
                    for (String name : List.of("fetch-total", "bytes-consumed-total")) {
                        closedMetrics.merge(name, fetchMetric(c, name), Double::sum);
                    }
                    open.add(c);
                }
            }
            narrow = null;
            wide = null;
            if (!open.isEmpty()) {
                // not a daemon: a JVM that ends normally still lets the brokers free the sessions (at most MAX_CLOSE)
                new Thread(() -> open.forEach(Consumers::closeQuietly), "lagsnap-sampler-close").start();
            }
        }

        /** Past the samples, a failed close concerns only the broker's session, which it then lets expire. */
        private static void closeQuietly(KafkaConsumer<Object, Object> consumer) {
            try {
                consumer.close(CloseOptions.timeout(MAX_CLOSE));
            } catch (KafkaException e) {
                LOG.debug("sampling: closing a consumer failed: {}", ItemErrors.message(e));
            }
        }

        long metric(String name) {
            return closedMetrics.getOrDefault(name, 0.0).longValue();
        }

        private static double fetchMetric(KafkaConsumer<Object, Object> consumer, String name) {
            return consumer.metrics().entrySet().stream()
                    .filter(e -> e.getKey().name().equals(name)
                            && e.getKey().group().equals("consumer-fetch-manager-metrics")
                            && !e.getKey().tags().containsKey("topic"))
                    .mapToDouble(e -> e.getValue().metricValue() instanceof Double d ? d : 0)
                    .sum();
        }
    }

    /**
     * The offsets of one partition still to sample: {@code offsets[next..end)}, ascending. The sampler walks them
     * with a cursor instead of copying them into sets.
     */
    private static final class Open {
        final long[] offsets;
        final int end;
        int next;

        Open(long[] offsets, int end) {
            this.offsets = offsets;
            this.end = end;
        }

        /** How many of the ascending {@code offsets} lie below {@code limit}. */
        static int countBelow(long[] offsets, long limit) {
            int i = Arrays.binarySearch(offsets, limit);
            return i >= 0 ? i : -i - 1;
        }

        boolean isEmpty() {
            return next >= end;
        }

        long first() {
            return offsets[next];
        }
    }

    /** One wave of at most {@code maxPartitionsPerWave} partitions: assigned, seeked, polled, released. */
    private static final class Wave {
        private final Map<TopicPartition, Open> pending = new LinkedHashMap<>();
        private final Map<TopicPartition, Long> highWatermarks;
        private final Samples samples;
        private final Map<Position, ItemError> failures;

        Wave(List<TopicPartition> partitions, Map<TopicPartition, Open> open, Map<TopicPartition, Long> highWatermarks,
             Samples samples, Map<Position, ItemError> failures) {
            partitions.forEach(tp -> pending.put(tp, open.get(tp)));
            this.highWatermarks = highWatermarks;
            this.samples = samples;
            this.failures = failures;
        }

        /** Partitions still pending when the budget runs out are left unsampled; the caller reports them. */
        void run(Consumers consumers, Deadline budget) {
            KafkaConsumer<Object, Object> consumer = consumers.narrow();
            start(consumer);
            try {
                while (!pending.isEmpty() && !budget.expired()) {
                    ConsumerRecords<Object, Object> records = poll(consumer, budget);
                    records.partitions().forEach(tp -> resolve(tp, records.records(tp)));
                    advance(consumer);
                    if (consumer != consumers.wide && onlyLeaderServed(consumer, records)) {
                        // Only the partition leading the response got data, others were answered empty: their
                        // first batches are larger than the narrow fetch size and would come one per round trip.
                        LOG.debug("sampling: {} partitions need the wide fetch size", pending.size());
                        consumer.unsubscribe();
                        consumer = consumers.wide();
                        start(consumer);
                    }
                }
            } finally {
                consumer.unsubscribe();
            }
        }

        /** A partition the broker answered for has a known lag; one whose leader is unreachable has none. */
        private boolean onlyLeaderServed(KafkaConsumer<Object, Object> consumer,
                                         ConsumerRecords<Object, Object> records) {
            return records.partitions().size() == 1 && pending.keySet().stream()
                    .anyMatch(tp -> !records.partitions().contains(tp) && consumer.currentLag(tp).isPresent());
        }

        /** Partitions {@link #prepare} paused stay paused through a new assignment: they are resumed here. */
        private void start(KafkaConsumer<Object, Object> consumer) {
            consumer.assign(pending.keySet());
            pending.forEach((tp, open) -> consumer.seek(tp, open.first()));
            consumer.resume(pending.keySet());
        }

        /** A failed fetch fails the topics it names, or else the whole wave; interrupts end the sampling. */
        private ConsumerRecords<Object, Object> poll(KafkaConsumer<Object, Object> consumer, Deadline budget) {
            try {
                return consumer.poll(budget.cap(MAX_POLL));
            } catch (TopicAuthorizationException e) {
                fail(tp -> e.unauthorizedTopics().contains(tp.topic()), ErrorKind.AUTHORIZATION, ItemErrors.message(e));
                consumer.assign(pending.keySet());
            } catch (InterruptException e) {
                throw e;
            } catch (KafkaException e) {
                fail(tp -> true, ItemErrors.kind(e), ItemErrors.message(e));
            }
            return ConsumerRecords.empty();
        }

        private void fail(Predicate<TopicPartition> which, ErrorKind kind, String message) {
            for (TopicPartition tp : List.copyOf(pending.keySet())) {
                if (which.test(tp)) {
                    Open open = pending.remove(tp);
                    for (; !open.isEmpty(); open.next++) {
                        Position p = new Position(tp, open.first());
                        failures.put(p, error(p, kind, message));
                    }
                }
            }
        }

        /** Each open offset takes the first fetched record at or after it; records come in offset order. */
        private void resolve(TopicPartition tp, List<ConsumerRecord<Object, Object>> records) {
            Open open = pending.get(tp);
            long high = highWatermarks.getOrDefault(tp, Long.MAX_VALUE);
            for (ConsumerRecord<Object, Object> r : records) {
                if (open == null || open.isEmpty() || r.offset() >= high) {
                    return;
                }
                for (; !open.isEmpty() && open.first() <= r.offset(); open.next++) {
                    if (r.timestamp() < 0) {
                        Position p = new Position(tp, open.first());
                        failures.put(p, error(p, ErrorKind.NO_TIMESTAMP, "record " + r.offset() + " has no timestamp"));
                    } else {
                        samples.put(tp, open.offsets, open.next, r.offset(), r.timestamp());
                    }
                }
            }
        }

        /**
         * After a poll: a partition whose position passed the high watermark has nothing left to consume before
         * it; done partitions are paused and dropped; the others skip ahead to their next open offset.
         */
        private void advance(KafkaConsumer<Object, Object> consumer) {
            for (Map.Entry<TopicPartition, Open> e : List.copyOf(pending.entrySet())) {
                TopicPartition tp = e.getKey();
                Open open = e.getValue();
                long high = highWatermarks.getOrDefault(tp, Long.MAX_VALUE);
                OptionalLong position = open.isEmpty() ? OptionalLong.empty() : position(consumer, tp);
                if (position.isPresent() && position.getAsLong() >= high) {
                    for (; !open.isEmpty(); open.next++) {
                        samples.put(tp, open.offsets, open.next, high, null);
                    }
                }
                if (open.isEmpty()) {
                    consumer.pause(List.of(tp));
                    pending.remove(tp);
                } else if (position.isPresent() && position.getAsLong() < open.first()) {
                    consumer.seek(tp, open.first());
                }
            }
        }

        /** Empty while an offset reset (retention moved the log start since) is still under way. */
        private static OptionalLong position(KafkaConsumer<Object, Object> consumer, TopicPartition tp) {
            try {
                return OptionalLong.of(consumer.position(tp, Duration.ZERO));
            } catch (org.apache.kafka.common.errors.TimeoutException e) {
                return OptionalLong.empty();
            }
        }
    }
}
