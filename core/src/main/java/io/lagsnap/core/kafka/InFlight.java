package io.lagsnap.core.kafka;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.apache.kafka.common.KafkaFuture;

/**
 * Admin calls issued and not yet gathered, so a cycle can have several in flight at once.
 *
 * @param answered completes when the last of the calls' answers (or failures) arrived
 * @param gather waits for the results within the cycle's deadline and turns failed items into item errors; run it
 *     on the cycle's thread, in phase order, so the errors keep that order
 */
record InFlight<T>(KafkaFuture<Void> answered, Supplier<T> gather) {
    static <T> InFlight<T> of(Collection<? extends KafkaFuture<?>> futures, Supplier<T> gather) {
        return new InFlight<>(KafkaFuture.allOf(futures.toArray(KafkaFuture[]::new)), gather);
    }

    /** Nothing to ask: already answered with {@code value}. */
    static <T> InFlight<T> done(T value) {
        return new InFlight<>(KafkaFuture.completedFuture(null), () -> value);
    }

    /** Several calls whose results are maps as one, gathered in the given order. */
    static <K, V> InFlight<Map<K, V>> merged(List<InFlight<Map<K, V>>> calls) {
        List<KafkaFuture<Void>> answers = new ArrayList<>();
        calls.forEach(c -> answers.add(c.answered()));
        return of(answers, () -> {
            Map<K, V> out = new HashMap<>();
            calls.forEach(c -> out.putAll(c.gather().get()));
            return out;
        });
    }

    T join() {
        return gather.get();
    }
}
