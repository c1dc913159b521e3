package io.lagsnap.sink.pushgateway;

import io.prometheus.metrics.exporter.pushgateway.HttpConnectionFactory;
import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.URI;
import java.net.URL;
import java.time.Duration;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Opens the connection of one push attempt, fixing two things client_java 1.5.1 leaves open:
 * <ul>
 *   <li>It form-encodes grouping-key values (URLEncoder), so a space becomes '+', which the Pushgateway keeps as a
 *   literal '+'. A literal '+' is encoded as %2B, so every '+' after {@code /metrics/} was a space: it is sent as
 *   %20. (Values with '/' and empty values already use the Pushgateway's base64 form.)</li>
 *   <li>HttpURLConnection has connect and read timeouts but none for writing the body, so a gateway that stops
 *   reading would block the push forever. The connection is closed {@link #GRACE} after the attempt's time is
 *   up; the read timeout normally ends a silent gateway's attempt first, with a clearer message.</li>
 * </ul>
 */
final class BoundedConnections implements HttpConnectionFactory {
    static final Duration GRACE = Duration.ofMillis(250);
    private static final ScheduledThreadPoolExecutor WATCHDOG = watchdog();

    private final String pathStart;
    private final Duration budget;

    /** @param address as given to client_java: host:port plus any path prefix */
    BoundedConnections(String address, Duration budget) {
        this.pathStart = address + "/metrics/";
        this.budget = budget;
    }

    @Override
    public HttpURLConnection create(URL url) throws IOException {
        HttpURLConnection connection = (HttpURLConnection) URI.create(withSpacesEncoded(url.toString())).toURL().openConnection();
        WATCHDOG.schedule(connection::disconnect, budget.plus(GRACE).toMillis(), TimeUnit.MILLISECONDS);
        return connection;
    }

    String withSpacesEncoded(String url) {
        int at = url.indexOf(pathStart);
        if (at < 0) {
            return url;
        }
        int groupingKey = at + pathStart.length();
        return url.substring(0, groupingKey) + url.substring(groupingKey).replace("+", "%20");
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
