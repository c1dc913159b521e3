package io.lagsnap.gcf;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.cloud.functions.CloudEventsFunction;
import io.cloudevents.CloudEvent;
import io.lagsnap.sink.api.config.ConfigException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Pub/Sub entry point {@code io.lagsnap.gcf.LagsnapCloudEventFunction} (Cloud Scheduler → topic → function). The
 * message data may carry the same JSON overrides as the HTTP body. The report is logged; a run that
 * {@code LAGSNAP_FAIL_ON} counts as failed, and a config error, throw, so the invocation counts as an error (and
 * Pub/Sub redelivers it when the function is deployed with retries).
 */
public final class LagsnapCloudEventFunction implements CloudEventsFunction {
    private static final Logger LOG = LoggerFactory.getLogger(LagsnapCloudEventFunction.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final FunctionRun run;

    public LagsnapCloudEventFunction() {
        this(System::getenv);
    }

    LagsnapCloudEventFunction(UnaryOperator<String> env) {
        this.run = new FunctionRun(env, new GcsConfigReader());
    }

    @Override
    public void accept(CloudEvent event) {
        FunctionRun.Result result = run.run(messageData(event), "Pub/Sub message data");
        if (result.failed()) {
            throw new IllegalStateException(result.failure());
        }
        LOG.info("report: {}", result.report().toJson());
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
            throw new ConfigException("CloudEvent " + event.getId() + ": data is not JSON: " + e.getMessage());
        }
        JsonNode encoded = data.path("message").path("data");
        if (!encoded.isTextual()) {
            return "";
        }
        try {
            return new String(Base64.getDecoder().decode(encoded.asText()), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new ConfigException("CloudEvent " + event.getId() + ": message.data is not base64");
        }
    }
}
