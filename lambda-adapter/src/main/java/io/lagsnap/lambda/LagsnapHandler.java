package io.lagsnap.lambda;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import io.lagsnap.core.config.ConfigSource.FailOn;
import io.lagsnap.core.config.ConfigSource.Overrides;
import io.lagsnap.core.config.ConfigSource;
import io.lagsnap.core.config.LagsnapConfig;
import io.lagsnap.core.report.RunReport;
import io.lagsnap.core.run.Runner;
import io.lagsnap.core.sink.SinkRegistry;
import io.lagsnap.sink.api.Deadline;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Lambda entry point {@code io.lagsnap.lambda.LagsnapHandler::handleRequest}: one snapshot per invocation (an
 * EventBridge Scheduler or rule event, or any JSON), returning the run report as JSON.
 *
 * <p>The event may carry {@code "clusters": [...]} and {@code "shard": "0/4"}; everything else in it is ignored.
 * A run that {@code LAGSNAP_FAIL_ON} counts as failed, and every config error, is thrown, so Lambda's error
 * metrics and alarms see it. Nothing is created at class initialisation (SnapStart takes its snapshot there): the
 * config, the sinks and every connection belong to one invocation.
 */
public final class LagsnapHandler implements RequestStreamHandler {
    /** Kept back from Lambda's remaining time so the function answers before Lambda stops it. */
    static final Duration SAFETY_MARGIN = Duration.ofSeconds(3);
    private static final Logger LOG = LoggerFactory.getLogger(LagsnapHandler.class);

    private final UnaryOperator<String> env;

    public LagsnapHandler() {
        this(System::getenv);
    }

    LagsnapHandler(UnaryOperator<String> env) {
        this.env = env;
    }

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        Duration remaining = Duration.ofMillis(context.getRemainingTimeInMillis());
        Duration budget = remaining.minus(margin(remaining));
        ConfigSource source = new ConfigSource(env, "s3", new S3ConfigReader(budget));
        Overrides overrides = Overrides.fromJson(new String(input.readAllBytes(), StandardCharsets.UTF_8), "event");
        FailOn failOn = source.failOn();
        LagsnapConfig config = overrides.applyTo(source.load());
        config.warnings().forEach(w -> LOG.warn("config: {}", w));

        Deadline deadline = Deadline.after(budget).within(config.run().deadline());
        LOG.info("request {}: config {}, shard {}, {} ms to run", context.getAwsRequestId(), config.source(),
                overrides.shard(), deadline.remaining().toMillis());
        RunReport report = new Runner(SinkRegistry.load(), env).run(config, deadline, overrides.shard());
        if (failOn.fails(report.exitCode())) {
            throw new RunFailedException(report, failOn);
        }
        output.write(report.toJson().getBytes(StandardCharsets.UTF_8));
    }

    /** {@link #SAFETY_MARGIN}, but never more than a quarter of a short remaining time. */
    static Duration margin(Duration remaining) {
        Duration quarter = remaining.dividedBy(4);
        return quarter.compareTo(SAFETY_MARGIN) < 0 ? quarter : SAFETY_MARGIN;
    }
}
