package io.lagsnap.testkit;

import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * A real consumer that is a member of a group and stays one until closed. Its own thread keeps
 * polling (heartbeats, rebalances) but its partitions are paused, so it never fetches records, and
 * it never commits: the group's committed offsets stay exactly what the test set.
 */
public final class ActiveMember implements AutoCloseable {
    private static final Duration POLL_TIMEOUT = Duration.ofMillis(100);
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(10);

    private final String group;
    private final String clientId;
    private final Thread thread;
    private final CountDownLatch stopped = new CountDownLatch(1);
    private volatile Consumer<byte[], byte[]> consumer;
    private volatile boolean closing;
    private volatile String memberId = "";
    private volatile Set<TopicPartition> assignment = Set.of();
    private volatile boolean joined;
    private volatile RuntimeException failure;

    private ActiveMember(String group, String clientId, Collection<String> topics, Map<String, Object> config) {
        this.group = group;
        this.clientId = clientId;
        this.thread = new Thread(() -> run(topics, config), "lagsnap-testkit-member-" + clientId);
        thread.setDaemon(true);
    }

    /** Starts the member's thread; the caller waits for the group to settle (see {@link Scenario}). */
    static ActiveMember start(Map<String, Object> clientConfig, String group, Collection<String> topics,
                              Map<String, Object> consumerConfig) {
        Map<String, Object> config = new HashMap<>(clientConfig);
        config.put(ConsumerConfig.GROUP_ID_CONFIG, group);
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.putAll(consumerConfig);
        if (!"consumer".equalsIgnoreCase(String.valueOf(config.get(ConsumerConfig.GROUP_PROTOCOL_CONFIG)))) {
            // Classic members learn of a rebalance from a heartbeat: every 0.5 s, not 3 s. (The consumer
            // protocol rejects this setting; the broker sets its interval.)
            config.putIfAbsent(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, 500);
        }
        String clientId = (String) config.computeIfAbsent(ConsumerConfig.CLIENT_ID_CONFIG,
                key -> "member-" + group + "-" + System.nanoTime());
        ActiveMember member = new ActiveMember(group, clientId, topics, config);
        member.thread.start();
        return member;
    }

    public String group() {
        return group;
    }

    public String clientId() {
        return clientId;
    }

    /** The member id the coordinator gave this consumer ("consumer id" in kafka-consumer-groups). */
    public String memberId() {
        return memberId;
    }

    /** The partitions currently assigned to this member. */
    public Set<TopicPartition> assignment() {
        return assignment;
    }

    /**
     * True once this member has joined, holds the assignment the coordinator reports for it, and has
     * looked up its positions for it: until the next rebalance it sends only heartbeats (and a
     * metadata refresh every metadata.max.age.ms).
     */
    boolean settledOn(Set<TopicPartition> describedAssignment) {
        return joined && assignment.equals(describedAssignment);
    }

    void throwIfFailed() {
        if (failure != null) {
            throw new Await.Hopeless("Group member " + clientId + " failed", failure);
        }
    }

    /** False once {@link #close} was called. */
    public boolean running() {
        return !closing;
    }

    /** Leaves the group and stops the member's thread. */
    @Override
    public void close() {
        closing = true;
        Consumer<byte[], byte[]> current = consumer;
        if (current != null) {
            current.wakeup();
        }
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void run(Collection<String> topics, Map<String, Object> config) {
        Consumer<byte[], byte[]> member = null;
        try {
            member = new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer());
            consumer = member;
            member.subscribe(List.copyOf(topics), new PauseAssigned(member));
            while (!closing) {
                pollOnce(member);
            }
        } catch (RuntimeException e) {
            failure = e;
        } finally {
            if (member != null) {
                member.close(CloseOptions.timeout(CLOSE_TIMEOUT));
            }
            stopped.countDown();
        }
    }

    private void pollOnce(Consumer<byte[], byte[]> member) {
        try {
            member.poll(POLL_TIMEOUT);
            Set<TopicPartition> current = Set.copyOf(member.assignment());
            // Resolve positions now (committed offset or reset) rather than in some later poll.
            current.forEach(member::position);
            assignment = current;
            memberId = member.groupMetadata().memberId();
        } catch (WakeupException e) {
            if (!closing) {
                throw e;
            }
        }
    }

    /** Pauses every partition as it is assigned, so the member never fetches records. */
    private final class PauseAssigned implements ConsumerRebalanceListener {
        private final Consumer<byte[], byte[]> member;

        PauseAssigned(Consumer<byte[], byte[]> member) {
            this.member = member;
        }

        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
            member.pause(partitions);
            joined = true;
        }

        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
        }
    }
}
