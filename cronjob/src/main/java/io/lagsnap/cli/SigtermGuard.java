package io.lagsnap.cli;

import io.lagsnap.core.report.RunReport;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Turns SIGTERM (a Kubernetes pod being stopped) into "deliver what was collected, then exit 1": the shutdown hook
 * raises {@link #stopping()}, which cuts collection short, waits for the run to finish delivering, and halts with
 * exit code 1.
 */
final class SigtermGuard implements AutoCloseable {
    private final AtomicBoolean stopping = new AtomicBoolean();
    private final CountDownLatch finished = new CountDownLatch(1);
    private final Thread hook;

    SigtermGuard(Duration maxWait) {
        hook = new Thread(() -> {
            stopping.set(true);
            try {
                finished.await(maxWait.toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            Runtime.getRuntime().halt(RunReport.EXIT_PARTIAL);
        }, "lagsnap-sigterm");
        Runtime.getRuntime().addShutdownHook(hook);
    }

    boolean stopping() {
        return stopping.get();
    }

    /** The run is over: without a signal, unhook; with one, let the hook halt the JVM. */
    @Override
    public void close() {
        if (!stopping.get()) {
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shutdownStarted) {
                // the signal arrived just now: the hook takes over
            }
        }
        finished.countDown();
    }
}
