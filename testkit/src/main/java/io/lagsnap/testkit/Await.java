package io.lagsnap.testkit;

import java.time.Duration;

/** Polls a condition until it holds; the broker and its clients settle asynchronously. */
final class Await {
    static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);
    private static final long POLL_MILLIS = 25;

    /** A condition that may throw while the cluster is not ready yet; a throw counts as "not yet". */
    @FunctionalInterface
    interface Condition {
        boolean holds() throws Exception;
    }

    /** Thrown by a condition that can never hold any more: ends the wait at once. */
    static final class Hopeless extends IllegalStateException {
        Hopeless(String message, Throwable cause) {
            super(message, cause);
        }
    }

    private Await() {
    }

    static void until(String what, Condition condition) {
        until(what, DEFAULT_TIMEOUT, condition);
    }

    static void until(String what, Duration timeout, Condition condition) {
        long deadline = System.nanoTime() + timeout.toNanos();
        Exception lastFailure = null;
        while (true) {
            try {
                if (condition.holds()) {
                    return;
                }
            } catch (Hopeless e) {
                throw e;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("Interrupted while waiting for " + what, e);
            } catch (Exception e) {
                lastFailure = e;
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("Timed out after " + timeout + " waiting for " + what, lastFailure);
            }
            sleep(POLL_MILLIS);
        }
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted", e);
        }
    }
}
