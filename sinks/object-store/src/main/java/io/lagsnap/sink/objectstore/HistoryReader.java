package io.lagsnap.sink.objectstore;

import io.lagsnap.sink.api.Deadline;
import io.lagsnap.sink.api.config.SinkConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.UnaryOperator;

/**
 * Reads back what the {@code object_store} sink wrote, through the sink's own stores: {@code file://} in place,
 * {@code s3://} and {@code gs://} with the same SDK clients (no DuckDB extension). For {@code lagsnap history}.
 */
public final class HistoryReader implements AutoCloseable {
    /** Parallel GETs when copying from a bucket: one object per run, so a week is ~10,000 small requests. */
    private static final int FETCH_THREADS = 16;

    /**
     * The objects that answer a cluster's history over a range, keys relative to the store's url.
     *
     * @param rollups each run's {@link GroupRollup}
     * @param rows the row objects of runs that have no rollup (written before rollups existed)
     */
    public record Selection(List<String> rollups, List<String> rows) {
        public Selection {
            rollups = List.copyOf(rollups);
            rows = List.copyOf(rows);
        }
    }

    private final StoreUrl url;
    private final ObjectStore store;

    HistoryReader(StoreUrl url, ObjectStore store) {
        this.url = url;
        this.store = store;
    }

    /**
     * @param url the sink's url: s3://bucket/prefix, gs://bucket/prefix or file:///dir
     * @param s3 the sink's s3-only keys ({@code region}, {@code endpoint}, {@code path_style}), empty for the defaults
     * @param optionName how an error names one of those keys: the option the user gave it as
     * @param timeout bounds every request
     */
    public static HistoryReader open(String url, Map<String, Object> s3, UnaryOperator<String> optionName,
                                     Duration timeout) throws IOException {
        StoreUrl parsed = StoreUrl.parse(url, "--store");
        SinkConfig options = new SinkConfig("object_store", "history", "history", s3);
        options.requireOnlyKeys(S3Settings.KEYS);
        Deadline deadline = Deadline.after(timeout);
        ObjectStore store = switch (parsed.scheme()) {
            case FILE -> new LocalStore(Path.of(parsed.bucket()));
            case S3 -> {
                CloudSdk.AWS.require("--store");
                yield S3Store.open(parsed.bucket(), S3Settings.from(options, optionName), deadline);
            }
            case GCS -> {
                CloudSdk.GOOGLE.require("--store");
                yield GcsStore.open(parsed.bucket(), deadline);
            }
        };
        return new HistoryReader(parsed, store);
    }

    /** Whether the objects are files already, so {@link #local} opens them in place. */
    public boolean isLocal() {
        return url.scheme() == StoreUrl.Scheme.FILE;
    }

    /**
     * The objects of a cluster's runs in the hour partitions from {@code from}'s to {@code to}'s: one listing per
     * day and tree (rows, rollups), then per run its rollup, or its rows when the run has no rollup.
     */
    public Selection select(String cluster, Instant from, Instant to) throws IOException {
        String dir = HistoryLayout.clusterDir(url.prefix(), cluster);
        String fromHour = hourPath(from);
        String toHour = hourPath(to);
        List<String> rollups = new ArrayList<>();
        Set<String> rolledUp = new HashSet<>();
        List<String> rows = new ArrayList<>();
        for (LocalDate day = day(from); !day.isAfter(day(to)); day = day.plusDays(1)) {
            for (String key : store.listKeys(dir + HistoryLayout.ROLLUP_DIR + "dt=" + day + "/")) {
                String run = key.substring(dir.length() + HistoryLayout.ROLLUP_DIR.length());
                if (key.endsWith(HistoryLayout.ROLLUP_SUFFIX) && inRange(run, fromHour, toHour)) {
                    rollups.add(key);
                    rolledUp.add(run.substring(0, run.length() - HistoryLayout.ROLLUP_SUFFIX.length()));
                }
            }
            for (String key : store.listKeys(dir + "dt=" + day + "/")) {
                String run = key.substring(dir.length());
                if (key.endsWith(HistoryLayout.ROWS_SUFFIX) && inRange(run, fromHour, toHour)
                        && !rolledUp.contains(run.substring(0, run.length() - HistoryLayout.ROWS_SUFFIX.length()))) {
                    rows.add(key);
                }
            }
        }
        return new Selection(rollups, rows);
    }

    /** "dt=2026-11-17/hour=21/": run paths compare as text in time order. */
    private static String hourPath(Instant time) {
        return HistoryLayout.runPath(time, "").substring(0, "dt=YYYY-MM-DD/hour=HH/".length());
    }

    private static boolean inRange(String run, String fromHour, String toHour) {
        String hour = run.substring(0, Math.min(run.length(), fromHour.length()));
        return hour.compareTo(fromHour) >= 0 && hour.compareTo(toHour) <= 0;
    }

    private static LocalDate day(Instant time) {
        return LocalDate.ofInstant(time, ZoneOffset.UTC);
    }

    /**
     * Local files for the keys: the files themselves for a file:// store, else copies under {@code dir} (same
     * relative keys), fetched in parallel. A listed key with "." or ".." segments fails it before any fetch.
     */
    public List<Path> local(List<String> keys, Path dir) throws IOException {
        if (isLocal()) {
            return keys.stream().map(((LocalStore) store)::path).toList();
        }
        List<Path> targets = new ArrayList<>();
        for (String key : keys) {
            targets.add(copyPath(dir, key));
        }
        ExecutorService pool = Executors.newFixedThreadPool(FETCH_THREADS);
        try {
            List<Future<Path>> copies = new ArrayList<>();
            for (int i = 0; i < keys.size(); i++) {
                String key = keys.get(i);
                Path target = targets.get(i);
                copies.add(pool.submit(() -> {
                    Files.createDirectories(target.getParent());
                    return Files.write(target, store.readBytes(key));
                }));
            }
            List<Path> paths = new ArrayList<>();
            for (Future<Path> copy : copies) {
                paths.add(copy.get());
            }
            return paths;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while copying from " + url.locate(""), e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof IOException io) {
                throw io;
            }
            throw new IOException("copying from " + url.locate("") + ": " + e.getCause(), e.getCause());
        } finally {
            pool.shutdownNow();
        }
    }

    /**
     * Where a key's copy goes under {@code dir}. The sink never writes "." or ".." segments, so a key with them was
     * put there by another writer, and its copy could land outside {@code dir} or on another key's copy: refused,
     * naming the key, rather than skipped, which would quietly answer from part of the range.
     */
    private Path copyPath(Path dir, String key) throws ObjectStoreException {
        Path base = dir.normalize();
        Path target = base.resolve(key);
        if (!target.startsWith(base) || !target.normalize().equals(target)) {
            throw new ObjectStoreException(ObjectStoreException.bucket(url.bucket()), key, "not read: the sink "
                    + "writes no key with \".\" or \"..\" segments, and its copy could land outside " + dir, null);
        }
        return target;
    }

    /** Where a key is, for messages: s3://bucket/key, gs://bucket/key or file:///dir/key. */
    public String locate(String key) {
        return url.locate(key);
    }

    @Override
    public void close() throws IOException {
        store.close();
    }
}
