package io.lagsnap.testkit;

import java.time.Duration;
import kafka.server.BrokerServer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.storage.internals.log.LogCleaner;
import org.apache.kafka.storage.internals.log.UnifiedLog;

/**
 * Compacts a partition now, through the broker's own log layer (the brokers run in this JVM).
 *
 * <p>The cleaner never touches the active segment, and a segment only rolls when a record is appended
 * after segment.ms/segment.bytes is reached, so without help the last records written stay uncompacted
 * and waiting for a roll would mean writing an extra record. Instead each replica's log is rolled in
 * place (no record written, offsets unchanged) and the broker's cleaner is awaited until it has
 * cleaned up to the new active segment. Needs the topic configs of {@link Scenario#compactedTopic}.
 */
final class LogCompaction {
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private LogCompaction() {
    }

    static void compactNow(Iterable<BrokerServer> brokers, TopicPartition partition) {
        int replicas = 0;
        for (BrokerServer broker : brokers) {
            LogCleaner cleaner = broker.logManager().cleaner();
            UnifiedLog log = cleaner == null ? null : cleaner.logs().get(partition);
            if (log != null) {
                replicas++;
                compact(cleaner, log, partition);
            }
        }
        if (replicas == 0) {
            throw new IllegalStateException("No running broker with a log cleaner holds " + partition);
        }
    }

    private static void compact(LogCleaner cleaner, UnifiedLog log, TopicPartition partition) {
        try {
            log.roll();
            long cleanUpTo = log.activeSegment().baseOffset();
            if (!cleaner.awaitCleaned(partition, cleanUpTo, TIMEOUT.toMillis())) {
                throw new IllegalStateException("Cleaner did not compact " + partition + " up to offset "
                        + cleanUpTo + " within " + TIMEOUT + "; is cleanup.policy=compact set?");
            }
        } catch (java.io.IOException e) {
            throw new IllegalStateException("Could not roll the log of " + partition, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while compacting " + partition, e);
        }
    }
}
