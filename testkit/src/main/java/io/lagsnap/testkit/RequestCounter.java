package io.lagsnap.testkit;

import java.lang.management.ManagementFactory;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;
import javax.management.JMException;
import javax.management.MBeanServer;
import javax.management.MalformedObjectNameException;
import javax.management.ObjectName;

/**
 * Reads the brokers' own request meters, {@code kafka.network:type=RequestMetrics,name=RequestsPerSec,
 * request=API,version=V}, from the platform MBean server (Kafka's Yammer registry exports them there).
 *
 * <p>All brokers and controllers of this JVM share one registry, so a count is the sum over every
 * node and every version. A broker marks the meter only after it has finished sending the response,
 * which can be a moment after the client already has it; reads therefore wait until the counts are
 * quiet for {@value #QUIET_MILLIS} ms (giving up after {@value #MAX_WAIT_MILLIS} ms of steady traffic).
 */
final class RequestCounter {
    private static final ObjectName REQUEST_METERS = objectName("kafka.network:type=RequestMetrics,name=RequestsPerSec,*");
    private static final long QUIET_MILLIS = 50;
    private static final long MAX_WAIT_MILLIS = 2_000;

    private final MBeanServer mbeans = ManagementFactory.getPlatformMBeanServer();

    long count(String api) {
        return quiet(() -> Map.of(api, current().getOrDefault(api, 0L))).get(api);
    }

    Map<String, Long> counts() {
        return quiet(this::current);
    }

    private Map<String, Long> quiet(Supplier<Map<String, Long>> read) {
        long deadline = System.currentTimeMillis() + MAX_WAIT_MILLIS;
        Map<String, Long> previous = read.get();
        while (true) {
            Await.sleep(QUIET_MILLIS);
            Map<String, Long> now = read.get();
            if (now.equals(previous) || System.currentTimeMillis() > deadline) {
                return now;
            }
            previous = now;
        }
    }

    private Map<String, Long> current() {
        Map<String, Long> counts = new TreeMap<>();
        for (ObjectName meter : mbeans.queryNames(REQUEST_METERS, null)) {
            counts.merge(meter.getKeyProperty("request"), countOf(meter), Long::sum);
        }
        return counts;
    }

    private long countOf(ObjectName meter) {
        try {
            return ((Number) mbeans.getAttribute(meter, "Count")).longValue();
        } catch (JMException e) {
            // The meter was removed between the query and the read (a broker shut down): it no longer counts.
            return 0;
        }
    }

    private static ObjectName objectName(String pattern) {
        try {
            return new ObjectName(pattern);
        } catch (MalformedObjectNameException e) {
            throw new IllegalArgumentException(pattern, e);
        }
    }
}
