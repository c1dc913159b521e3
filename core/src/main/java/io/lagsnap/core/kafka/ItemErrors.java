package io.lagsnap.core.kafka;

import io.lagsnap.sink.api.Deadline;
import io.lagsnap.sink.api.model.ErrorKind;
import io.lagsnap.sink.api.model.ItemError;
import io.lagsnap.sink.api.model.Phase;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.CoordinatorLoadInProgressException;
import org.apache.kafka.common.errors.CoordinatorNotAvailableException;
import org.apache.kafka.common.errors.GroupIdNotFoundException;
import org.apache.kafka.common.errors.InvalidMetadataException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

/**
 * Gathers the per-item futures of one batched Admin call: values for the items that succeeded, an
 * {@link ItemError} for each that failed. Groups and topics deleted mid-cycle are dropped without an error: they are
 * ordinary churn, not a fault.
 */
final class ItemErrors {
    private ItemErrors() {
    }

    static <K, V> Map<K, V> gather(Phase phase, Map<K, KafkaFuture<V>> futures, Deadline deadline,
                                   Duration timeout, List<ItemError> errors) {
        Deadline by = deadline.within(timeout);
        Map<K, V> out = new LinkedHashMap<>();
        futures.forEach((item, future) -> {
            try {
                V v = future.get(by.remaining().toMillis(), TimeUnit.MILLISECONDS);
                if (v != null) {
                    out.put(item, v);
                }
            } catch (ExecutionException e) {
                Throwable cause = e.getCause();
                if (!(cause instanceof GroupIdNotFoundException) && !(cause instanceof UnknownTopicOrPartitionException)) {
                    errors.add(new ItemError(phase, String.valueOf(item), kind(cause), message(cause)));
                }
            } catch (TimeoutException e) {
                errors.add(new ItemError(phase, String.valueOf(item), ErrorKind.TIMEOUT,
                        "no answer within " + by.remaining().plus(timeout).toMillis() + " ms"));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                errors.add(new ItemError(phase, String.valueOf(item), ErrorKind.INTERRUPTED, "run interrupted"));
            }
        });
        return out;
    }

    static ErrorKind kind(Throwable t) {
        if (t instanceof org.apache.kafka.common.errors.TimeoutException || t instanceof TimeoutException) {
            return ErrorKind.TIMEOUT;
        }
        if (t instanceof AuthorizationException) {
            return ErrorKind.AUTHORIZATION;
        }
        if (t instanceof CoordinatorNotAvailableException || t instanceof CoordinatorLoadInProgressException) {
            return ErrorKind.COORDINATOR;
        }
        if (t instanceof InvalidMetadataException) {
            return ErrorKind.LEADER;
        }
        return ErrorKind.ERROR;
    }

    /**
     * The exception and, when it wraps another, the innermost cause: the Admin client reports an authentication
     * failure (wrong password, unsupported SASL mechanism) only as the cause of "Failed to find brokers".
     */
    static String message(Throwable t) {
        Throwable root = t;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root == t ? describe(t) : describe(t) + " (caused by " + describe(root) + ")";
    }

    private static String describe(Throwable t) {
        String m = t.getMessage();
        return t.getClass().getSimpleName() + (m == null ? "" : ": " + m);
    }
}
