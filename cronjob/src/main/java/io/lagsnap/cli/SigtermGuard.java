package io.lagsnap.cli;

import io.lagsnap.core.report.RunReport;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Turns SIGTERM (a Kubernetes pod being stopped) into "deliver what was collected, within a short grace, then
 * exit": the shutdown hook raises {@link #stopping()}, which cuts collection short and the sinks off after the
 * runner's grace, waits for the run's report, and halts with the report's exit code (1 for a stopped run, whose
 * clusters are all partial; 3 when nothing was delivered), so the report and the process agree.
 */
final class SigtermGuard implements AutoCloseable {
    private final AtomicBoolean stopping = new AtomicBoolean();
    private final CountDownLatch finished = new CountDownLatch(1);
    private volatile int exitCode = RunReport.EXIT_PARTIAL;
    private final Thread hook;

    SigtermGuard(Duration maxWait) {
        hook = new Thread(() -> {
            stopping.set(true);
            try {
                finished.await(maxWait.toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            Runtime.getRuntime().halt(exitCode);
        }, "lagsnap-sigterm");
        Runtime.getRuntime().addShutdownHook(hook);
    }

    boolean stopping() {
        return stopping.get();
    }

    /** The code the hook halts with once the run is over: the report's. */
    void exitWith(int code) {
        exitCode = code;
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
