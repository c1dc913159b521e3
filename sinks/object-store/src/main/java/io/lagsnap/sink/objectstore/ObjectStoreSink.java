package io.lagsnap.sink.objectstore;

import io.lagsnap.core.format.RowJson;
import io.lagsnap.core.model.ClusterSnapshot;
import io.lagsnap.core.model.Snapshot;
import io.lagsnap.core.run.Deadline;
import io.lagsnap.core.sink.Delivery;
import io.lagsnap.core.sink.Sink;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPOutputStream;

/**
 * Writes each cluster of a snapshot as one gzip NDJSON history object (the {@link RowJson} rows) and, when asked,
 * replaces the cluster's {@code latest.json}. Clusters are written independently: one failing does not stop the
 * others, and the delivery then fails naming it. A cluster that was down has no rows and gets no object; the run
 * report already says it was down.
 */
final class ObjectStoreSink implements Sink {
    static final String NDJSON = "application/x-ndjson";
    static final String JSON = "application/json";

    /** Opens a store for one delivery, with every request bounded by the deadline. */
    @FunctionalInterface
    interface StoreOpener {
        ObjectStore open(Deadline deadline) throws IOException;
    }

    private final StoreUrl url;
    private final boolean latest;
    private final StoreOpener opener;

    ObjectStoreSink(StoreUrl url, boolean latest, StoreOpener opener) {
        this.url = url;
        this.latest = latest;
        this.opener = opener;
    }

    @Override
    public Delivery deliver(Snapshot snapshot, Deadline deadline) throws IOException {
        List<String> done = new ArrayList<>();
        List<String> down = new ArrayList<>();
        boolean allWritten = true;
        try (ObjectStore store = opener.open(deadline)) {
            for (ClusterSnapshot cluster : snapshot.clusters()) {
                if (!cluster.up()) {
                    down.add(cluster.name());
                    continue;
                }
                try {
                    done.add(write(store, cluster, snapshot, deadline));
                } catch (IOException | RuntimeException e) {
                    allWritten = false;
                    done.add("cluster " + cluster.name() + " FAILED: " + e.getMessage());
                }
            }
        }
        if (!down.isEmpty()) {
            done.add("skipped down cluster(s) " + String.join(", ", down));
        }
        String detail = done.isEmpty() ? "no clusters to write" : String.join("; ", done);
        return allWritten ? Delivery.ok(detail) : Delivery.failed(detail);
    }

    /** Nothing to release: each delivery opens and closes its own store. */
    @Override
    public void close() {
    }

    /** History first: latest.json names the history key, so it must never point at an object that is not there. */
    private String write(ObjectStore store, ClusterSnapshot cluster, Snapshot snapshot, Deadline deadline)
            throws IOException {
        if (deadline.expired()) {
            throw new IOException("the run deadline passed before the write");
        }
        String key = HistoryLayout.historyKey(url.prefix(), cluster.name(), cluster.time(), snapshot.runId());
        byte[] rows = gzipRows(cluster);
        store.create(new StoredObject(key, rows, NDJSON, "gzip"));
        String done = "wrote " + cluster.rows().size() + " rows (" + rows.length + " bytes) to " + url.locate(key);
        if (latest) {
            String latestKey = HistoryLayout.latestKey(url.prefix(), cluster.name(), snapshot.shard());
            store.replace(new StoredObject(latestKey, LatestSummary.json(cluster, snapshot.runId(), key), JSON, null));
            done += " and " + latestKey.substring(latestKey.lastIndexOf('/') + 1);
        }
        return done;
    }

    private static byte[] gzipRows(ClusterSnapshot cluster) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (GZIPOutputStream gzip = new GZIPOutputStream(bytes)) {
            RowJson.write(cluster, gzip);
        }
        return bytes.toByteArray();
    }
}
