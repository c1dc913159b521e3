package io.lagsnap.core.run;

import io.lagsnap.core.config.Secrets;
import io.lagsnap.core.model.Snapshot;
import io.lagsnap.core.sink.Delivery;
import io.lagsnap.core.sink.SinkRegistry.NamedSink;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The sinks of one run, each in its own thread: deliver the snapshot, wait for the run report, publish it
 * ({@link io.lagsnap.core.sink.Sink#deliverReport}), close. The report needs every sink's outcome, so it comes
 * second; one thread per sink keeps each sink's calls in order. A sink abandoned at the deadline is interrupted and
 * skips the report.
 */
final class Deliveries implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Deliveries.class);
    /** The report is small and local sinks write it at once: a deadline spent by slow deliveries should not fail it. */
    private static final Duration REPORT_GRACE = Duration.ofMillis(500);

    private record Delivered(Delivery delivery, Duration took) {
    }

    private final List<NamedSink> sinks;
    private final Deadline deadline;
    private final Secrets secrets;
    private final long start = System.nanoTime();
    private final ExecutorService pool;
    private final CompletableFuture<RunReport> report = new CompletableFuture<>();
    private final List<CompletableFuture<Delivered>> delivered = new ArrayList<>();
    private final List<Future<?>> tasks = new ArrayList<>();

    /** Starts every sink's delivery. */
    Deliveries(List<NamedSink> sinks, Snapshot snapshot, Deadline deadline, Secrets secrets) {
        this.sinks = sinks;
        this.deadline = deadline;
        this.secrets = secrets;
        this.pool = Executors.newFixedThreadPool(Math.max(sinks.size(), 1), Runner.daemon("lagsnap-sink"));
        for (NamedSink s : sinks) {
            CompletableFuture<Delivered> done = new CompletableFuture<>();
            delivered.add(done);
            tasks.add(pool.submit(() -> {
                try {
                    long began = System.nanoTime();
                    Delivery d;
                    try {
                        d = s.sink().deliver(snapshot, deadline);
                    } catch (Throwable t) {
                        // whatever one sink throws, the others deliver and the report says why this one did not
                        d = Delivery.failed(t.getClass().getSimpleName() + ": " + t.getMessage());
                    }
                    done.complete(new Delivered(d, Duration.ofNanos(System.nanoTime() - began)));
                    s.sink().deliverReport(report.get(), deadline);
                    return null;
                } finally {
                    closeQuietly(s);
                }
            }));
        }
    }

    /** Each sink's outcome, in order; a sink still busy at the deadline is abandoned and failed. */
    List<SinkOutcome> outcomes() {
        List<SinkOutcome> out = new ArrayList<>();
        for (int i = 0; i < sinks.size(); i++) {
            NamedSink s = sinks.get(i);
            Delivered d;
            try {
                d = delivered.get(i).get(deadline.remaining().toMillis(), TimeUnit.MILLISECONDS);
            } catch (TimeoutException | InterruptedException | ExecutionException e) {
                if (e instanceof InterruptedException) {
                    Thread.currentThread().interrupt();
                }
                tasks.get(i).cancel(true);
                d = new Delivered(Delivery.failed("not finished before the run deadline"),
                        Duration.ofNanos(System.nanoTime() - start));
            }
            SinkOutcome o = new SinkOutcome(s.name(), s.type(), d.delivery().delivered(),
                    secrets.scrub(d.delivery().detail()), d.took());
            if (o.delivered()) {
                LOG.info("sink {} ({}) delivered: {}", o.name(), o.type(), o.detail());
            } else {
                LOG.warn("sink {} ({}) failed: {}", o.name(), o.type(), o.detail());
            }
            out.add(o);
        }
        return out;
    }

    /**
     * Hands {@code delivered} (the report built from {@link #outcomes()}) to every sink still running and waits for
     * them; a sink that could not publish it is failed, its detail saying so.
     */
    List<SinkOutcome> publish(RunReport delivered) {
        report.complete(delivered);
        List<SinkOutcome> out = new ArrayList<>();
        for (int i = 0; i < sinks.size(); i++) {
            SinkOutcome o = delivered.sinks().get(i);
            Future<?> task = tasks.get(i);
            if (task.isCancelled()) {
                out.add(o);
                continue;
            }
            try {
                task.get(deadline.remaining().plus(REPORT_GRACE).toMillis(), TimeUnit.MILLISECONDS);
                out.add(o);
            } catch (TimeoutException | InterruptedException e) {
                if (e instanceof InterruptedException) {
                    Thread.currentThread().interrupt();
                }
                task.cancel(true);
                out.add(unpublished(o, "not finished before the run deadline"));
            } catch (ExecutionException e) {
                Throwable cause = e.getCause();
                out.add(unpublished(o, cause.getClass().getSimpleName() + ": " + cause.getMessage()));
            }
        }
        return out;
    }

    private SinkOutcome unpublished(SinkOutcome o, String why) {
        SinkOutcome failed = new SinkOutcome(o.name(), o.type(), false,
                secrets.scrub(o.detail() + "; run report not published: " + why), o.duration());
        LOG.warn("sink {} ({}) failed: {}", failed.name(), failed.type(), failed.detail());
        return failed;
    }

    /** Ends what is still running: sinks abandoned at the deadline, or all of them if the run failed midway. */
    @Override
    public void close() {
        pool.shutdownNow();
    }

    static void closeQuietly(NamedSink s) {
        try {
            s.sink().close();
        } catch (Exception e) {
            LOG.warn("sink {} did not close cleanly: {}", s.name(), e.toString());
        }
    }
}
