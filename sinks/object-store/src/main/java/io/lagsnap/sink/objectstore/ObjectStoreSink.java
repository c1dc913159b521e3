package io.lagsnap.sink.objectstore;

import io.lagsnap.sink.api.Deadline;
import io.lagsnap.sink.api.Delivery;
import io.lagsnap.sink.api.Sink;
import io.lagsnap.sink.api.format.HtmlPage;
import io.lagsnap.sink.api.format.RowJson;
import io.lagsnap.sink.api.model.ClusterSnapshot;
import io.lagsnap.sink.api.model.Snapshot;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPOutputStream;

/**
 * Writes each cluster of a snapshot as one gzip NDJSON history object (the {@link RowJson} rows) and its per-group
 * {@link GroupRollup} beside it (what {@code lagsnap history} reads) and, when asked,
 * replaces the cluster's {@code latest.json} and its lag status page {@code index.html} ({@link HtmlPage}).
 * Clusters are written independently: one failing does not stop the others, and the delivery then fails naming it.
 * A cluster that was down has no rows and gets no history object; the run report already says it was down, and its
 * status page, if asked for, says so too rather than showing the last run's lag as current.
 */
final class ObjectStoreSink implements Sink {
    /** Kept back from the run deadline so that this sink, not the runner, reports a hung store. */
    private static final Duration MARGIN = Duration.ofSeconds(1);
    static final String NDJSON = "application/x-ndjson";
    static final String JSON = "application/json";
    static final String HTML = "text/html; charset=utf-8";
    /** {@code pageRefreshSeconds} when no status page is written. */
    static final int NO_PAGE = -1;

    /** Opens a store for one delivery, with every request bounded by the deadline. */
    @FunctionalInterface
    interface StoreOpener {
        ObjectStore open(Deadline deadline) throws IOException;
    }

    private final StoreUrl url;
    private final boolean latest;
    private final boolean html;
    private final int pageRefreshSeconds;
    private final StoreOpener opener;

    /**
     * @param pageRefreshSeconds {@link #NO_PAGE}: no status page; else write one that reloads itself this often
     *     (0: never)
     */
    ObjectStoreSink(StoreUrl url, boolean latest, int pageRefreshSeconds, StoreOpener opener) {
        this.url = url;
        this.latest = latest;
        this.html = pageRefreshSeconds != NO_PAGE;
        this.pageRefreshSeconds = pageRefreshSeconds;
        this.opener = opener;
    }

    @Override
    public Delivery deliver(Snapshot snapshot, Deadline runDeadline) throws IOException {
        // ends before the run's, so a hung store fails here, naming bucket and key, rather than being cut off
        Deadline deadline = runDeadline.minus(MARGIN);
        List<String> done = new ArrayList<>();
        List<String> down = new ArrayList<>();
        boolean allWritten = true;
        try (ObjectStore store = opener.open(deadline)) {
            for (ClusterSnapshot cluster : snapshot.clusters()) {
                if (!cluster.up()) {
                    down.add(cluster.name());
                    if (!html) {
                        continue;
                    }
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

    /**
     * History first: latest.json names the history key, so it must never point at an object that is not there; the
     * status page comes last, like latest.json a view of what the history holds. The rollup follows its rows, so a
     * rollup always has rows behind it, and a reader falls back to the rows of a run that has none.
     */
    private String write(ObjectStore store, ClusterSnapshot cluster, Snapshot snapshot, Deadline deadline)
            throws IOException {
        String key = HistoryLayout.historyKey(url.prefix(), cluster.name(), cluster.time(), snapshot.runId());
        if (deadline.expired()) {
            throw new IOException("the run deadline passed before writing " + url.locate(key));
        }
        if (!cluster.up()) {
            String pageKey = writePage(store, cluster, snapshot);
            return "wrote the status page of down cluster " + cluster.name() + " to " + url.locate(pageKey);
        }
        byte[] rows = gzip(out -> RowJson.write(cluster, out));
        store.create(new StoredObject(key, rows, NDJSON, "gzip"));
        String rollupKey = HistoryLayout.rollupKey(url.prefix(), cluster.name(), cluster.time(), snapshot.runId());
        store.create(new StoredObject(rollupKey, gzip(out -> GroupRollup.write(cluster, out)), NDJSON, "gzip"));
        String done = "wrote " + cluster.rows().size() + " rows (" + rows.length + " bytes) to " + url.locate(key)
                + " and its group rollup";
        if (latest) {
            String latestKey = HistoryLayout.latestKey(url.prefix(), cluster.name(), snapshot.shard());
            store.replace(new StoredObject(latestKey, LatestSummary.json(cluster, snapshot.runId(), key), JSON, null));
            done += " and " + fileName(latestKey);
        }
        if (html) {
            done += " and " + fileName(writePage(store, cluster, snapshot));
        }
        return done;
    }

    /** Replaces the cluster's status page; returns its key. */
    private String writePage(ObjectStore store, ClusterSnapshot cluster, Snapshot snapshot) throws IOException {
        String pageKey = HistoryLayout.pageKey(url.prefix(), cluster.name(), snapshot.shard());
        ByteArrayOutputStream page = new ByteArrayOutputStream();
        HtmlPage.write(cluster, pageRefreshSeconds, page);
        store.replace(new StoredObject(pageKey, page.toByteArray(), HTML, null));
        return pageKey;
    }

    private static String fileName(String key) {
        return key.substring(key.lastIndexOf('/') + 1);
    }

    @FunctionalInterface
    private interface Body {
        void write(OutputStream out) throws IOException;
    }

    private static byte[] gzip(Body body) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (GZIPOutputStream gzip = new GZIPOutputStream(bytes)) {
            body.write(gzip);
        }
        return bytes.toByteArray();
    }
}
