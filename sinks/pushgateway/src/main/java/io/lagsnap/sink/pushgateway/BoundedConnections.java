package io.lagsnap.sink.pushgateway;

import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.URL;
import java.time.Duration;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Opens the connection of one push attempt. HttpURLConnection has connect and read timeouts but none for writing
 * the body, so a gateway that stops reading would block the push forever. The connection is closed {@link #GRACE}
 * after the attempt's time is up; the read timeout normally ends a silent gateway's attempt first, with a clearer
 * message.
 */
final class BoundedConnections {
    static final Duration GRACE = Duration.ofMillis(250);
    private static final ScheduledThreadPoolExecutor WATCHDOG = watchdog();

    private final Duration budget;

    BoundedConnections(Duration budget) {
        this.budget = budget;
    }

    HttpURLConnection open(URL url) throws IOException {
        HttpURLConnection connection = (HttpURLConnection) url.openConnection();
        WATCHDOG.schedule(connection::disconnect, budget.plus(GRACE).toMillis(), TimeUnit.MILLISECONDS);
        return connection;
    }

    private static ScheduledThreadPoolExecutor watchdog() {
        ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "lagsnap-pushgateway-watchdog");
            t.setDaemon(true);
            return t;
        });
        executor.setRemoveOnCancelPolicy(true);
        return executor;
    }
}
