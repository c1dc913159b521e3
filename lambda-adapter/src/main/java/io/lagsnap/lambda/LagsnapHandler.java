package io.lagsnap.lambda;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import io.lagsnap.core.config.LogScrubbing;
import io.lagsnap.core.invocation.ConfigSource.FailOn;
import io.lagsnap.core.invocation.ConfigSource.Overrides;
import io.lagsnap.core.invocation.ConfigSource;
import io.lagsnap.core.invocation.Invocation;
import io.lagsnap.core.report.RunReport;
import io.lagsnap.core.run.Runner;
import io.lagsnap.core.sink.SinkRegistry;
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
 * EventBridge Scheduler or rule event, or any JSON object), returning the run report as JSON.
 *
 * <p>The event may carry {@code "clusters": [...]} and {@code "shard": "0/4"}; everything else in it is ignored.
 * The deadline starts when the invocation arrives (Lambda's remaining time less a margin) and bounds the config
 * read too. A run that {@code LAGSNAP_FAIL_ON} counts as failed, and every config error, is thrown, so Lambda's
 * error metrics and alarms see it. A config without {@code [[sinks]]} writes the snapshot as JSON lines to the
 * function log. {@code ${aws-secret:NAME}} and {@code ${ssm:NAME}} in the config are read at run time
 * ({@link AwsReferences}). Nothing is created at class initialisation (SnapStart takes its snapshot there): the
 * config, the sinks and every connection belong to one invocation.
 */
public final class LagsnapHandler implements RequestStreamHandler {
    private static final Logger LOG = LoggerFactory.getLogger(LagsnapHandler.class);

    private final UnaryOperator<String> env;
    private final AwsReferences references;

    public LagsnapHandler() {
        this(System::getenv);
    }

    LagsnapHandler(UnaryOperator<String> env) {
        // the OpenTelemetry SDK logs through JUL; bridged, its lines reach the scrubbing JSON-lines logger
        LogScrubbing.bridgeJul();
        this.env = env;
        this.references = new AwsReferences();
    }

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        Invocation.Arrival arrival = Invocation.Arrival.now(Duration.ofMillis(context.getRemainingTimeInMillis()));
        LOG.info("request {}", context.getAwsRequestId());
        ConfigSource source = new ConfigSource(env, "s3", new S3ConfigReader(), references);
        Overrides overrides = Overrides.fromJson(new String(input.readAllBytes(), StandardCharsets.UTF_8), "event");
        FailOn failOn = source.failOn();
        RunReport report = new Invocation(source, new Runner(SinkRegistry.load(), env), Invocation.TO_THE_LOG)
                .prepare(arrival, overrides).run();
        if (failOn.fails(report.exitCode())) {
            throw new RunFailedException(report, failOn);
        }
        output.write(report.toJson().getBytes(StandardCharsets.UTF_8));
    }
}
