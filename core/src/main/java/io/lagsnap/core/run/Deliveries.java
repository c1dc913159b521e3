package io.lagsnap.core.run;

import io.lagsnap.core.config.Secrets;
import io.lagsnap.core.report.SinkOutcome;
import io.lagsnap.core.sink.SinkRegistry.NamedSink;
import io.lagsnap.sink.api.Deadline;
import io.lagsnap.sink.api.Delivery;
import io.lagsnap.sink.api.metrics.MetricFamily;
import io.lagsnap.sink.api.model.Snapshot;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The sinks of one run, in two rounds, each sink on a thread of its own so its calls stay in order: every sink
 * delivers the snapshot; then every sink that finished gets the run's own metrics
 * ({@link io.lagsnap.sink.api.Sink#deliverReport}), which exist only once the first round is over. A sink still busy
 * at the deadline is interrupted, failed, and skips the second round. Every sink is closed at the end, on its own
 * thread, after whatever it was still doing.
 */
final class Deliveries implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Deliveries.class);
    /** The run metrics are small and local sinks write them at once: a deadline spent by slow deliveries should not fail them. */
    private static final Duration REPORT_GRACE = Duration.ofMillis(500);
    private static final long SLICE_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

    private final List<NamedSink> sinks;
    private final Deadline deadline;
    private final Secrets secrets;
    /** A stop signal's grace is spent: every sink still busy is cut off. */
    private final BooleanSupplier cut;
    /** One single-thread executor per sink. */
    private final List<ExecutorService> threads = new ArrayList<>();
    /** Sinks interrupted at the deadline: they get no second round. */
    private final boolean[] abandoned;

    Deliveries(List<NamedSink> sinks, Deadline deadline, Secrets secrets, BooleanSupplier cut) {
        this.sinks = sinks;
        this.deadline = deadline;
        this.secrets = secrets;
        this.cut = cut;
        sinks.forEach(s -> threads.add(Executors.newSingleThreadExecutor(Runner.daemon("lagsnap-sink-" + s.name()))));
        this.abandoned = new boolean[sinks.size()];
    }

    /** The first round: each sink's outcome, in order. */
    List<SinkOutcome> deliver(Snapshot snapshot) {
        List<Future<Delivery>> tasks = new ArrayList<>();
        long[] began = new long[sinks.size()];
        for (int i = 0; i < sinks.size(); i++) {
            NamedSink s = sinks.get(i);
            int index = i;
            tasks.add(threads.get(i).submit(() -> {
                began[index] = System.nanoTime();
                return s.sink().deliver(snapshot, deadline);
            }));
        }
        long start = System.nanoTime();
        List<SinkOutcome> out = new ArrayList<>();
        for (int i = 0; i < sinks.size(); i++) {
            NamedSink s = sinks.get(i);
            Delivery d = await(i, tasks.get(i), deadline.remaining(), "not finished before the run deadline");
            long from = began[i] != 0 ? began[i] : start;
            SinkOutcome o = new SinkOutcome(s.name(), s.type(), d.delivered(), secrets.scrub(d.detail()),
                    Duration.ofNanos(System.nanoTime() - from));
            if (o.delivered()) {
                LOG.info("sink {} ({}) delivered: {}", o.name(), o.type(), o.detail());
            }
            out.add(o);
        }
        return out;
    }

    /**
     * The second round: hands the run's metrics to every sink that was not abandoned and waits for them; a sink that
     * could not publish them is failed, its detail saying so. Logs each failed sink once.
     */
    List<SinkOutcome> deliverReport(String runId, List<MetricFamily> runMetrics, List<SinkOutcome> delivered) {
        List<Future<Delivery>> tasks = new ArrayList<>();
        for (int i = 0; i < sinks.size(); i++) {
            NamedSink s = sinks.get(i);
            tasks.add(abandoned[i] ? null : threads.get(i).submit(() -> s.sink().deliverReport(runId, runMetrics,
                    deadline)));
        }
        List<SinkOutcome> out = new ArrayList<>();
        for (int i = 0; i < sinks.size(); i++) {
            SinkOutcome o = delivered.get(i);
            if (tasks.get(i) != null) {
                Delivery d = await(i, tasks.get(i), deadline.remaining().plus(REPORT_GRACE),
                        "not finished before the run deadline");
                if (!d.delivered()) {
                    o = new SinkOutcome(o.name(), o.type(), false,
                            secrets.scrub(o.detail() + "; run report not published: " + d.detail()), o.duration());
                } else if (o.delivered() && !d.detail().isEmpty()) {
                    o = new SinkOutcome(o.name(), o.type(), true, secrets.scrub(d.detail()), o.duration());
                }
            }
            if (!o.delivered()) {
                LOG.warn("sink {} ({}) failed: {}", o.name(), o.type(), o.detail());
            }
            out.add(o);
        }
        return out;
    }

    /**
     * The task's result; whatever one sink throws or however long it takes, the others go on. Waits in short slices
     * so that a stop signal's spent grace cuts the sink off at once.
     */
    private Delivery await(int index, Future<Delivery> task, Duration wait, String timedOut) {
        long end = System.nanoTime() + wait.toNanos();
        try {
            while (true) {
                try {
                    return task.get(Math.max(0, Math.min(SLICE_NANOS, end - System.nanoTime())),
                            TimeUnit.NANOSECONDS);
                } catch (TimeoutException e) {
                    if (cut.getAsBoolean()) {
                        throw new TimeoutException("stop signal");
                    }
                    if (System.nanoTime() - end >= 0) {
                        throw e;
                    }
                }
            }
        } catch (TimeoutException | InterruptedException e) {
            if (cut.getAsBoolean()) {
                timedOut = "cut off " + StopGrace.GRACE_SECONDS + " s after the stop signal (SIGTERM)";
            }
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            task.cancel(true);
            abandoned[index] = true;
            return Delivery.failed(timedOut);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            return Delivery.failed(cause.getClass().getSimpleName() + ": " + cause.getMessage());
        }
    }

    /**
     * Closes every sink on its own thread, after whatever it is still doing; waits briefly for the sinks that
     * finished, never for an abandoned one.
     */
    @Override
    public void close() {
        List<Future<?>> closing = new ArrayList<>();
        for (int i = 0; i < sinks.size(); i++) {
            NamedSink s = sinks.get(i);
            closing.add(threads.get(i).submit(s::closeQuietly));
            threads.get(i).shutdown();
        }
        for (int i = 0; i < sinks.size(); i++) {
            if (!abandoned[i]) {
                try {
                    closing.get(i).get(REPORT_GRACE.toMillis(), TimeUnit.MILLISECONDS);
                } catch (TimeoutException | ExecutionException e) {
                    LOG.warn("sink {} did not close within {} ms", sinks.get(i).name(), REPORT_GRACE.toMillis());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }
}
