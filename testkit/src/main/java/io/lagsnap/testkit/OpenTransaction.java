package io.lagsnap.testkit;

import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * A transaction whose records are written but not yet committed or aborted. While it is open the
 * partition's last stable offset stays at {@link #firstOffset()}; the high watermark already includes it.
 * Committing or aborting writes one control record, so the high watermark then moves one further.
 */
public final class OpenTransaction implements AutoCloseable {
    private final Producer<byte[], byte[]> producer;
    private final Admin admin;
    private final TopicPartition partition;
    private final long firstOffset;
    private final long lastOffset;
    private boolean open = true;

    private OpenTransaction(Producer<byte[], byte[]> producer, Admin admin, TopicPartition partition,
                            List<RecordMetadata> written) {
        this.producer = producer;
        this.admin = admin;
        this.partition = partition;
        this.firstOffset = written.get(0).offset();
        this.lastOffset = written.get(written.size() - 1).offset();
    }

    /** Writes {@code records}, all to {@code partition}, in a new transaction. */
    static OpenTransaction begin(Map<String, Object> clientConfig, Admin admin, TopicPartition partition,
                                 List<ProducerRecord<byte[], byte[]>> records) {
        if (records.isEmpty()) {
            throw new IllegalArgumentException("A transaction needs at least one record");
        }
        Producer<byte[], byte[]> producer = RecordWriter.transactional(clientConfig, "lagsnap-testkit-" + UUID.randomUUID());
        try {
            producer.initTransactions();
            producer.beginTransaction();
            return new OpenTransaction(producer, admin, partition, RecordWriter.sendAll(producer, records));
        } catch (RuntimeException e) {
            producer.close();
            throw e;
        }
    }

    /** Offset of the transaction's first record. */
    public long firstOffset() {
        return firstOffset;
    }

    /** Offset of the transaction's last record (the control record comes after it). */
    public long lastOffset() {
        return lastOffset;
    }

    public synchronized void commit() {
        ensureOpen();
        producer.commitTransaction();
        finish();
    }

    public synchronized void abort() {
        ensureOpen();
        producer.abortTransaction();
        finish();
    }

    /** Aborts the transaction if it is still open, so no later test finds the partition blocked. */
    @Override
    public synchronized void close() {
        if (open) {
            abort();
        }
    }

    private void ensureOpen() {
        if (!open) {
            throw new IllegalStateException("Transaction already committed or aborted");
        }
    }

    /**
     * The coordinator writes the commit/abort marker after it has answered the producer, so wait until
     * the partition no longer lists this transaction as ongoing (the marker is in the log) and the high
     * watermark has passed the marker, which comes after {@link #lastOffset()}: under load the high
     * watermark can trail the append by a moment.
     */
    private void finish() {
        open = false;
        producer.close();
        Await.until("the end marker of the transaction at " + partition + " offset " + firstOffset, () ->
                Futures.join(admin.describeProducers(List.of(partition)).partitionResult(partition))
                        .activeProducers().stream()
                        .noneMatch(state -> state.currentTransactionStartOffset().orElse(-1) == firstOffset)
                && Futures.join(admin.listOffsets(Map.of(partition, OffsetSpec.latest())).partitionResult(partition))
                        .offset() > lastOffset + 1);
    }
}
