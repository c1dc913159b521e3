package io.lagsnap.testkit;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Blocks on client futures and rethrows their failure unchecked, so helpers read as plain steps. */
final class Futures {
    private static final long TIMEOUT_SECONDS = 60;

    private Futures() {
    }

    static <T> T join(Future<T> future) {
        try {
            return future.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted", e);
        } catch (ExecutionException e) {
            // Wrapped, not rethrown: Kafka's ApiExceptions carry no stack trace of their own.
            throw new IllegalStateException(e.getCause().toString(), e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalStateException("No result after " + TIMEOUT_SECONDS + " s", e);
        }
    }
}
