package io.lagsnap.core.trends;

import io.lagsnap.sink.api.model.ClusterSnapshot;
import io.lagsnap.sink.api.state.StateStore;
import java.io.IOException;
import java.time.Instant;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one step of a run that touches trend state: read the cluster's trend object, fold the new snapshot into it,
 * write it back with a conditional replace, and evaluate it. Two overlapping runs never lose an update: the one
 * whose replace loses reads the winner's state and folds again, unless the winner's snapshot is newer: points stay
 * in time order, so the overtaken run adds none and reports no trends. A missing, corrupt or newer-version object
 * never fails the run: the run starts a new state, warns, and says why in {@link Kept#reset}.
 */
public final class TrendKeeper {
    private static final Logger LOG = LoggerFactory.getLogger(TrendKeeper.class);
    /** Overlapping runs are rare and few: three tries, then this run's trends go unsaved (and still get reported). */
    private static final int ATTEMPTS = 3;

    private final StateStore store;
    private final Trends trends;

    public TrendKeeper(StateStore store, Trends trends) {
        this.store = store;
        this.trends = trends;
    }

    /**
     * What one cluster's trends came to.
     *
     * @param reset why the run started from an empty state ("missing", "corrupt", "newer_version"), or null
     * @param saved false when the state could not be written (it is then reported, not kept)
     */
    public record Kept(TrendResults results, String reset, boolean saved) {
    }

    public Kept update(ClusterSnapshot snapshot, Instant now) throws IOException {
        String cluster = snapshot.name();
        TrendState next = null;
        String reset = null;
        for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
            Optional<StateStore.Stored> stored = store.read(cluster);
            TrendCodec.Decoded decoded = TrendCodec.decode(stored.map(StateStore.Stored::bytes).orElse(null),
                    cluster);
            TrendState previous;
            if (decoded instanceof TrendCodec.Loaded loaded) {
                previous = loaded.state();
            } else {
                previous = TrendState.empty(cluster, snapshot.granularity());
                // a later attempt may read what this one wrote (a put that succeeded but was answered as lost):
                // the first unusable object this run found is still why it started afresh
                reset = reset == null ? reason(decoded) : reset;
                if (!(decoded instanceof TrendCodec.Missing)) {
                    LOG.warn("cluster {}: trend state unusable ({}); starting a new one", cluster, detail(decoded));
                }
            }
            next = trends.fold(previous, snapshot, now);
            if (store.replace(cluster, TrendCodec.encode(next), stored.map(StateStore.Stored::version).orElse(null))) {
                return new Kept(trends.evaluate(next, snapshot), reset, true);
            }
        }
        LOG.warn("cluster {}: trend state not saved: other runs kept replacing it", cluster);
        return new Kept(trends.evaluate(next, snapshot), reset, false);
    }

    private static String reason(TrendCodec.Decoded decoded) {
        if (decoded instanceof TrendCodec.Corrupt) {
            return "corrupt";
        }
        return decoded instanceof TrendCodec.NewerVersion ? "newer_version" : "missing";
    }

    private static String detail(TrendCodec.Decoded decoded) {
        if (decoded instanceof TrendCodec.Corrupt c) {
            return "corrupt: " + c.reason();
        }
        return decoded instanceof TrendCodec.NewerVersion v ? "written by a newer lagsnap, version " + v.version()
                : "missing";
    }
}
