package io.lagsnap.testkit;

import java.util.Map;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Shares one {@link KafkaBroker} among all tests of a class: started before the first test, closed
 * after the last. Register it on a static field:
 *
 * <pre>{@code
 * @RegisterExtension
 * static final KafkaBrokerExtension KAFKA = KafkaBrokerExtension.single();
 * }</pre>
 *
 * {@code @Nested} classes reuse the enclosing class's broker.
 */
public final class KafkaBrokerExtension implements BeforeAllCallback, AfterAllCallback {
    private final int brokers;
    private final Map<String, String> serverProps;
    private KafkaBroker broker;
    private int classesUsingBroker;

    private KafkaBrokerExtension(int brokers, Map<String, String> serverProps) {
        this.brokers = brokers;
        this.serverProps = Map.copyOf(serverProps);
    }

    /** One combined broker+controller with the default test settings. */
    public static KafkaBrokerExtension single() {
        return cluster(1, Map.of());
    }

    /** One combined broker+controller with extra broker configs. */
    public static KafkaBrokerExtension single(Map<String, String> serverProps) {
        return cluster(1, serverProps);
    }

    /** Several brokers (e.g. 3 for fault tests), see {@link KafkaBroker#start(int, Map)}. */
    public static KafkaBrokerExtension cluster(int brokers, Map<String, String> serverProps) {
        return new KafkaBrokerExtension(brokers, serverProps);
    }

    public synchronized KafkaBroker broker() {
        if (broker == null) {
            throw new IllegalStateException("No broker: register KafkaBrokerExtension on a static field");
        }
        return broker;
    }

    @Override
    public synchronized void beforeAll(ExtensionContext context) {
        if (classesUsingBroker == 0) {
            broker = KafkaBroker.start(brokers, serverProps);
        }
        classesUsingBroker++;
    }

    @Override
    public synchronized void afterAll(ExtensionContext context) {
        if (classesUsingBroker == 0) {
            return; // the broker never started
        }
        if (--classesUsingBroker == 0) {
            try {
                broker.close();
            } finally {
                broker = null;
            }
        }
    }
}
