package io.lagsnap.sink.kip714;

import io.lagsnap.sink.api.Deadline;
import io.lagsnap.sink.api.Delivery;
import io.lagsnap.sink.api.KafkaCluster;
import io.lagsnap.sink.api.Sink;
import io.lagsnap.sink.api.model.ClusterSnapshot;
import io.lagsnap.sink.api.model.Snapshot;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Pushes every chosen cluster's series through that cluster's own client telemetry, the clusters in parallel
 * (each may wait up to one push interval). Delivered only when every cluster's broker answered a push carrying
 * lagsnap's series.
 */
final class Kip714Sink implements Sink {
    private final List<KafkaCluster> clusters;
    private final TelemetryPush push;

    Kip714Sink(List<KafkaCluster> clusters, TelemetryPush push) {
        this.clusters = List.copyOf(clusters);
        this.push = push;
    }

    List<KafkaCluster> clusters() {
        return clusters;
    }

    TelemetryPush push() {
        return push;
    }

    @Override
    public Delivery deliver(Snapshot snapshot, Deadline deadline) throws InterruptedException {
        ExecutorService pool = Executors.newFixedThreadPool(clusters.size(), r -> {
            Thread t = new Thread(r, "lagsnap-kip714");
            t.setDaemon(true);
            return t;
        });
        try {
            List<Future<Delivery>> futures = new ArrayList<>();
            for (KafkaCluster cluster : clusters) {
                ClusterSnapshot collected = snapshot.clusters().stream()
                        .filter(c -> c.name().equals(cluster.name())).findFirst().orElse(null);
                futures.add(pool.submit(() -> collected == null
                        ? Delivery.failed("the snapshot has no cluster of that name")
                        : push.push(cluster, collected, deadline)));
            }
            boolean all = true;
            List<String> details = new ArrayList<>();
            for (int i = 0; i < clusters.size(); i++) {
                Delivery outcome = outcome(futures.get(i), deadline);
                all &= outcome.delivered();
                details.add(clusters.size() == 1 ? outcome.detail() : clusters.get(i).name() + ": " + outcome.detail());
            }
            String detail = String.join("; ", details);
            return all ? Delivery.ok(detail) : Delivery.failed(detail);
        } finally {
            pool.shutdownNow();
        }
    }

    /** Nothing to release: each delivery closes the clients it opened. */
    @Override
    public void close() {
    }

    private static Delivery outcome(Future<Delivery> future, Deadline deadline)
            throws InterruptedException {
        try {
            // each push bounds itself by the deadline; the extra second only catches a stuck client
            return future.get(deadline.remaining().toMillis() + 1000, TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            future.cancel(true);
            return Delivery.failed("not finished before the run deadline");
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            return Delivery.failed(cause.getClass().getSimpleName() + ": " + cause.getMessage());
        }
    }
}
