package io.lagsnap.testkit;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.IntFunction;
import java.util.function.LongUnaryOperator;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.RecordsToDelete;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.GroupState;
import org.apache.kafka.common.TopicPartition;

/**
 * Builds a test workload on a {@link KafkaBroker} with exact, explicit values: topics, records with
 * chosen timestamps, committed offsets, live group members, deleted records, open and aborted
 * transactions, compaction. Every step has finished (acknowledged, visible) when its method returns.
 *
 * <p>Offsets follow from what was written: a partition's first record gets offset 0, each record one
 * more, and each transaction commit or abort one control record. Close the scenario (or the broker)
 * to stop the producers, members and open transactions it created.
 */
public final class Scenario implements AutoCloseable {
    /** Topic configs under which {@link #compact} can compact a partition at once. */
    public static final Map<String, String> FAST_COMPACTION = Map.of(
            "cleanup.policy", "compact",
            "min.cleanable.dirty.ratio", "0.01",
            "min.compaction.lag.ms", "0");

    private final KafkaBroker broker;
    private final Admin admin;
    private final OffsetCommitter committer;
    private final List<ActiveMember> members = new ArrayList<>();
    private final List<OpenTransaction> transactions = new ArrayList<>();
    private RecordWriter writer;
    private boolean closed;

    Scenario(KafkaBroker broker) {
        this.broker = broker;
        this.admin = broker.admin();
        this.committer = new OffsetCommitter(admin);
    }

    /**
     * Creates a topic, replicated to min(3, brokers) brokers, and waits until every partition serves requests.
     */
    public Scenario topic(String name, int partitions) {
        return topic(name, partitions, Map.of());
    }

    /** As {@link #topic(String, int)}, with topic configs such as {@code message.timestamp.type=LogAppendTime}. */
    public Scenario topic(String name, int partitions, Map<String, String> topicConfigs) {
        short replicas = BrokerDefaults.replicationFactor(broker.brokerIds().size());
        NewTopic topic = new NewTopic(name, partitions, replicas).configs(topicConfigs);
        Futures.join(admin.createTopics(List.of(topic)).all());
        Map<TopicPartition, OffsetSpec> everyPartition = new HashMap<>();
        for (int partition = 0; partition < partitions; partition++) {
            everyPartition.put(new TopicPartition(name, partition), OffsetSpec.latest());
        }
        // metadata first: a ListOffsets sent before the leaders exist makes the Admin client log an ERROR
        Await.until("partitions of " + name + " to have leaders", () -> admin.describeTopics(List.of(name))
                .allTopicNames().get().get(name).partitions().stream().allMatch(p -> p.leader() != null));
        Await.until("partitions of " + name + " to serve requests",
                () -> admin.listOffsets(everyPartition).all().get().size() == partitions);
        return this;
    }

    /** A topic with cleanup.policy=compact and the other {@link #FAST_COMPACTION} configs. */
    public Scenario compactedTopic(String name, int partitions) {
        return topic(name, partitions, FAST_COMPACTION);
    }

    /**
     * Appends {@code count} records without key to one partition, record {@code i} (0-based within
     * this call) with CreateTime {@code timestampForIndex(i)} and value {@code "value-i"}.
     */
    public Scenario produce(String topic, int partition, int count, LongUnaryOperator timestampForIndex) {
        return produce(topic, partition, count, timestampForIndex,
                i -> ("value-" + i).getBytes(StandardCharsets.UTF_8));
    }

    /** As {@link #produce(String, int, int, LongUnaryOperator)}, with the value of record {@code i} given. */
    public Scenario produce(String topic, int partition, int count, LongUnaryOperator timestampForIndex,
                            IntFunction<byte[]> valueForIndex) {
        List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            records.add(new ProducerRecord<>(topic, partition, timestampForIndex.applyAsLong(i), null, valueForIndex.apply(i)));
        }
        writer().write(records);
        return this;
    }

    /** Appends keyed records (for compaction): record {@code i} has key {@code keyForIndex(i)}, value {@code "value-i"}. */
    public Scenario produceKeyed(String topic, int partition, int count, IntFunction<String> keyForIndex,
                                 LongUnaryOperator timestampForIndex) {
        List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            records.add(new ProducerRecord<>(topic, partition, timestampForIndex.applyAsLong(i),
                    keyForIndex.apply(i).getBytes(StandardCharsets.UTF_8),
                    ("value-" + i).getBytes(StandardCharsets.UTF_8)));
        }
        writer().write(records);
        return this;
    }

    /** Commits one offset for a group without members (the group is, or stays, Empty). */
    public Scenario commit(String group, String topic, int partition, long offset) {
        return commit(group, Map.of(new TopicPartition(topic, partition), offset));
    }

    /** Commits offsets for a group without members (the group is, or stays, Empty). */
    public Scenario commit(String group, Map<TopicPartition, Long> offsets) {
        return commitGroups(Map.of(group, offsets));
    }

    /** Commits offsets for many member-less groups concurrently: thousands of groups take seconds, not minutes. */
    public Scenario commitGroups(Map<String, Map<TopicPartition, Long>> offsetsByGroup) {
        committer.commit(offsetsByGroup);
        return this;
    }

    /** Adds a live, paused, never-committing consumer to {@code group}; see {@link ActiveMember}. */
    public Scenario activeMember(String group, String... topics) {
        return activeMember(group, List.of(topics), Map.of());
    }

    /**
     * As {@link #activeMember(String, String...)}, with consumer configs such as {@code client.id},
     * {@code group.protocol=consumer} or {@code group.instance.id}. Returns once the group is Stable and
     * every member this scenario added to it holds its assignment. Commit offsets first: the broker
     * refuses Admin commits for a group that has members.
     */
    public Scenario activeMember(String group, Collection<String> topics, Map<String, Object> consumerConfig) {
        ensureOpen();
        ActiveMember member = ActiveMember.start(broker.clientConfig(), group, topics, consumerConfig);
        synchronized (this) {
            members.add(member);
        }
        awaitSettled(group);
        return this;
    }

    /** The members this scenario added, in order. */
    public synchronized List<ActiveMember> members() {
        return List.copyOf(members);
    }

    /**
     * Deletes the partition's records before {@code beforeOffset}. Returns once every replica's low
     * watermark is that offset (the broker answers DeleteRecords only then), so nothing needs awaiting.
     */
    public Scenario deleteRecords(String topic, int partition, long beforeOffset) {
        TopicPartition tp = new TopicPartition(topic, partition);
        Futures.join(admin.deleteRecords(Map.of(tp, RecordsToDelete.beforeOffset(beforeOffset))).all());
        return this;
    }

    /**
     * Writes {@code count} records (CreateTime {@code timestamp}, values {@code "txn-i"}) in a transaction
     * and leaves it open. Abort or commit it through the handle; the scenario aborts it on close.
     */
    public OpenTransaction openTransaction(String topic, int partition, int count, long timestamp) {
        ensureOpen();
        OpenTransaction transaction = beginTransaction(topic, partition, count, timestamp);
        synchronized (this) {
            transactions.add(transaction);
        }
        return transaction;
    }

    /** Writes {@code count} records in a transaction and aborts it: count + 1 offsets, none readable committed. */
    public Scenario abortedTransaction(String topic, int partition, int count, long timestamp) {
        try (OpenTransaction transaction = beginTransaction(topic, partition, count, timestamp)) {
            transaction.abort();
        }
        return this;
    }

    /**
     * Compacts the partition now on every replica: afterwards only the latest record per key remains
     * below the log end offset. The topic needs {@link #FAST_COMPACTION} (see {@link #compactedTopic}).
     */
    public Scenario compact(String topic, int partition) {
        LogCompaction.compactNow(broker.brokerServers().values(), new TopicPartition(topic, partition));
        return this;
    }

    /** The partition's high watermark (log end offset as consumers see it, read_uncommitted). */
    public long highWatermark(String topic, int partition) {
        return offset(topic, partition, OffsetSpec.latest());
    }

    /** The partition's low watermark (log start offset). */
    public long lowWatermark(String topic, int partition) {
        return offset(topic, partition, OffsetSpec.earliest());
    }

    /** Stops what this scenario started: aborts open transactions, removes members, closes its producer. */
    @Override
    public void close() {
        List<AutoCloseable> started;
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            started = new ArrayList<>(transactions);
            started.addAll(members);
            if (writer != null) {
                started.add(writer);
            }
        }
        RuntimeException failure = null;
        for (AutoCloseable resource : started) {
            try {
                resource.close();
            } catch (Exception e) {
                failure = failure == null ? new IllegalStateException("Scenario did not close cleanly", e) : failure;
            }
        }
        broker.forget(this);
        if (failure != null) {
            throw failure;
        }
    }

    private void awaitSettled(String group) {
        List<ActiveMember> inGroup = members().stream()
                .filter(member -> member.group().equals(group) && member.running())
                .toList();
        Await.until("group " + group + " to be Stable with every member holding its assignment", () -> {
            inGroup.forEach(ActiveMember::throwIfFailed);
            ConsumerGroupDescription described = admin.describeConsumerGroups(List.of(group))
                    .describedGroups().get(group).get();
            if (described.groupState() != GroupState.STABLE) {
                return false;
            }
            Map<String, Set<TopicPartition>> assigned = new HashMap<>();
            for (MemberDescription member : described.members()) {
                assigned.put(member.consumerId(), member.assignment().topicPartitions());
            }
            return inGroup.stream().allMatch(member -> member.settledOn(assigned.get(member.memberId())));
        });
    }

    private long offset(String topic, int partition, OffsetSpec spec) {
        TopicPartition tp = new TopicPartition(topic, partition);
        return Futures.join(admin.listOffsets(Map.of(tp, spec)).partitionResult(tp)).offset();
    }

    private OpenTransaction beginTransaction(String topic, int partition, int count, long timestamp) {
        List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            records.add(new ProducerRecord<>(topic, partition, timestamp, null, ("txn-" + i).getBytes(StandardCharsets.UTF_8)));
        }
        return OpenTransaction.begin(broker.clientConfig(), admin, new TopicPartition(topic, partition), records);
    }

    private synchronized void ensureOpen() {
        if (closed) {
            throw new IllegalStateException("Scenario is closed");
        }
    }

    private synchronized RecordWriter writer() {
        ensureOpen();
        if (writer == null) {
            writer = RecordWriter.plain(broker.clientConfig());
        }
        return writer;
    }
}
