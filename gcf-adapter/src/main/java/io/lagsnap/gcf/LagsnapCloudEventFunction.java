package io.lagsnap.gcf;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.cloud.functions.CloudEventsFunction;
import io.cloudevents.CloudEvent;
import io.lagsnap.core.invocation.ConfigSource.Overrides;
import io.lagsnap.core.invocation.Invocation;
import io.lagsnap.sink.api.config.ConfigException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Pub/Sub entry point {@code io.lagsnap.gcf.LagsnapCloudEventFunction} (Cloud Scheduler → topic → function). The
 * message data may carry the same JSON object of overrides as the HTTP body; empty data, or data that is not JSON
 * at all ({@code gcloud pubsub topics publish T --message=now}), means "run with no overrides". The report is logged.
 *
 * <p>For a snapshotter the next scheduled message replaces a failed run, so the function acknowledges (returns
 * normally) by default:
 * <ul>
 *   <li>a <b>permanent</b> error (a malformed envelope, {@code message.data} that is not a base64 string, data that
 *       is JSON but not an object, a bad override, a config error) is logged at ERROR and counted in
 *       {@value #REJECTED}; it is never thrown, as a redelivered poison message could never succeed;</li>
 *   <li>a <b>transient</b> failure (a run that {@code LAGSNAP_FAIL_ON} counts as failed: a down cluster, a failing
 *       sink) is logged at ERROR and acknowledged too, unless {@value #RETRY} is {@code true}: then it is thrown,
 *       and Pub/Sub redelivers it when the function is deployed with retries on purpose.</li>
 * </ul>
 */
public final class LagsnapCloudEventFunction implements CloudEventsFunction {
    /** The self-metric of rejected messages, by reason; written to the log, where a log-based metric counts it. */
    static final String REJECTED = "lagsnap_invocation_rejected_total";
    /** {@code true}: throw a failed run so Pub/Sub redelivers it (deploy with retries); otherwise acknowledged. */
    static final String RETRY = "LAGSNAP_RETRY_FAILED_RUNS";
    private static final Logger LOG = LoggerFactory.getLogger(LagsnapCloudEventFunction.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final FunctionRun run;
    private final boolean retryFailedRuns;
    /** Across the warm invocations of this instance, as a counter is. */
    private final Map<String, AtomicLong> rejected = new ConcurrentHashMap<>();

    public LagsnapCloudEventFunction() {
        this(System::getenv);
    }

    LagsnapCloudEventFunction(UnaryOperator<String> env) {
        this.run = new FunctionRun(env, new GcsConfigReader());
        this.retryFailedRuns = "true".equalsIgnoreCase(env.apply(RETRY));
    }

    @Override
    public void accept(CloudEvent event) {
        Invocation.Arrival arrival = Invocation.Arrival.now();
        Overrides overrides;
        try {
            overrides = overrides(event);
        } catch (ConfigException e) {
            reject(event, "message", e.getMessage());
            return;
        }
        FunctionRun.Result result;
        try {
            result = run.run(arrival, overrides);
        } catch (ConfigException e) {
            reject(event, "config", e.getMessage());
            return;
        }
        if (result.failed()) {
            if (retryFailedRuns) {
                throw new IllegalStateException(result.failure());
            }
            LOG.error("{} (acknowledged: the next scheduled message is the retry; {}=true throws instead)",
                    result.failure(), RETRY);
            return;
        }
        LOG.info("report: {}", result.report().toJson());
    }

    private void reject(CloudEvent event, String reason, String message) {
        long count = rejected.computeIfAbsent(reason, r -> new AtomicLong()).incrementAndGet();
        LOG.error("CloudEvent {} rejected and acknowledged (it can never succeed, so it is not retried): {}; {}",
                event.getId(), message, REJECTED + "{reason=\"" + reason + "\"} " + count);
    }

    /**
     * The overrides in a Pub/Sub "messagePublished" event; none when it carries no data, or data that is not meant
     * as JSON ("now"). Data that starts as a JSON object or array but does not parse is refused: run without its
     * overrides, a shard's message with a typo would snapshot every group.
     */
    static Overrides overrides(CloudEvent event) {
        String data = messageData(event);
        try {
            JSON.readTree(data);
        } catch (JsonProcessingException e) {
            String start = data.strip();
            if (start.startsWith("{") || start.startsWith("[")) {
                throw new ConfigException("Pub/Sub message data is not valid JSON: " + e.getOriginalMessage());
            }
            return Overrides.NONE;
        }
        return Overrides.fromJson(data, "Pub/Sub message data");
    }

    /**
     * The decoded {@code message.data} of a Pub/Sub "messagePublished" event; empty when there is none (e.g. a
     * scheduler job with an empty payload, or an event of another kind).
     */
    static String messageData(CloudEvent event) {
        if (event.getData() == null) {
            return "";
        }
        JsonNode data;
        try {
            data = JSON.readTree(event.getData().toBytes());
        } catch (IOException e) {
            throw new ConfigException("CloudEvent data is not JSON: " + e.getMessage());
        }
        JsonNode encoded = data.path("message").path("data");
        if (encoded.isMissingNode() || encoded.isNull()) {
            return "";
        }
        if (!encoded.isTextual()) {
            throw new ConfigException("CloudEvent message.data: expected a base64 string, got "
                    + encoded.getNodeType().toString().toLowerCase(Locale.ROOT));
        }
        try {
            return new String(Base64.getDecoder().decode(encoded.asText()), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new ConfigException("CloudEvent message.data is not base64");
        }
    }
}
