package io.lagsnap.gcf;

import io.lagsnap.core.config.ConfigSource.FailOn;
import io.lagsnap.core.config.ConfigSource.Overrides;
import io.lagsnap.core.config.ConfigSource;
import io.lagsnap.core.config.LagsnapConfig;
import io.lagsnap.core.report.RunReport;
import io.lagsnap.core.run.Runner;
import io.lagsnap.core.sink.SinkRegistry;
import io.lagsnap.sink.api.Deadline;
import java.util.function.UnaryOperator;
import java.util.logging.Level;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One invocation of either function: the config from LAGSNAP_CONFIG / _FILE / _URL (gs://), the trigger's overrides,
 * one run bounded by the config's {@code [run] deadline} (Cloud Functions tell a function nothing about its own
 * timeout: deploy it with a timeout above that deadline).
 */
final class FunctionRun {
    /** Held so the level sticks (JUL keeps loggers weakly): the Kafka clients' INFO lines dump whole configs. */
    private static final java.util.logging.Logger KAFKA_LOGS = java.util.logging.Logger.getLogger("org.apache.kafka");
    private static final Logger LOG = LoggerFactory.getLogger(FunctionRun.class);

    static {
        KAFKA_LOGS.setLevel(Level.WARNING);
    }

    /** What came of a run, and whether LAGSNAP_FAIL_ON counts it as a failed invocation. */
    record Result(RunReport report, FailOn failOn) {
        boolean failed() {
            return failOn.fails(report.exitCode());
        }

        String failure() {
            return failOn.failure(report.runId(), report.exitCode()) + "; report: " + report.toJson();
        }
    }

    private final UnaryOperator<String> env;
    private final ConfigSource.UrlReader gcs;

    FunctionRun(UnaryOperator<String> env, ConfigSource.UrlReader gcs) {
        this.env = env;
        this.gcs = gcs;
    }

    /** Throws {@link io.lagsnap.sink.api.config.ConfigException} before contacting anything when the config is bad. */
    Result run(String payload, String payloadName) {
        ConfigSource source = new ConfigSource(env, "gs", gcs);
        Overrides overrides = Overrides.fromJson(payload, payloadName);
        FailOn failOn = source.failOn();
        LagsnapConfig config = overrides.applyTo(source.load());
        config.warnings().forEach(w -> LOG.warn("config: {}", w));
        LOG.info("config {}, shard {}, {} ms to run", config.source(), overrides.shard(),
                config.run().deadline().toMillis());
        RunReport report = new Runner(SinkRegistry.load(), env)
                .run(config, Deadline.after(config.run().deadline()), overrides.shard());
        return new Result(report, failOn);
    }
}
