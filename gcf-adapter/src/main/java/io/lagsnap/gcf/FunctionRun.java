package io.lagsnap.gcf;

import io.lagsnap.core.config.LogScrubbing;
import io.lagsnap.core.invocation.ConfigSource.FailOn;
import io.lagsnap.core.invocation.ConfigSource.Overrides;
import io.lagsnap.core.invocation.ConfigSource;
import io.lagsnap.core.invocation.Invocation;
import io.lagsnap.core.report.RunReport;
import io.lagsnap.core.run.Runner;
import io.lagsnap.core.sink.SinkRegistry;
import java.util.function.UnaryOperator;
import java.util.logging.Level;

/**
 * One invocation of either function: the config from LAGSNAP_CONFIG / _FILE / _URL (gs://), the trigger's overrides,
 * one run bounded by the config's {@code [run] deadline} counted from the arrival (Cloud Functions tell a function
 * nothing about its own timeout: deploy it with a timeout above that deadline). A config without {@code [[sinks]]}
 * writes the snapshot as JSON lines to the function log.
 */
final class FunctionRun {
    /** Held so the level sticks (JUL keeps loggers weakly): the Kafka clients' INFO lines dump whole configs. */
    private static final java.util.logging.Logger KAFKA_LOGS = java.util.logging.Logger.getLogger("org.apache.kafka");

    static {
        // JUL is this function's log path (slf4j-jdk14 into the invoker's handlers): scrub there, never bridge it
        LogScrubbing.scrubJulHandlers();
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
    Result run(Invocation.Arrival arrival, Overrides overrides) {
        ConfigSource source = new ConfigSource(env, "gs", gcs);
        FailOn failOn = source.failOn();
        RunReport report = new Invocation(source, new Runner(SinkRegistry.load(), env), Invocation.TO_THE_LOG)
                .prepare(arrival, overrides).run();
        return new Result(report, failOn);
    }
}
