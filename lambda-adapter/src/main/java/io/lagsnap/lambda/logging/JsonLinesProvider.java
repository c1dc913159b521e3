package io.lagsnap.lambda.logging;

import org.slf4j.ILoggerFactory;
import org.slf4j.IMarkerFactory;
import org.slf4j.event.Level;
import org.slf4j.helpers.BasicMarkerFactory;
import org.slf4j.helpers.NOPMDCAdapter;
import org.slf4j.spi.MDCAdapter;
import org.slf4j.spi.SLF4JServiceProvider;

/**
 * The SLF4J 2 binding of the Lambda package: every log event becomes one JSON object on one line of stdout, which
 * CloudWatch Logs (and Lambda's JSON log format) take as structured fields. A few dozen lines instead of a logging
 * framework keep the zip small and the cold start short.
 *
 * <p>The level comes from {@code AWS_LAMBDA_LOG_LEVEL} (Lambda's application log level), default INFO. The Kafka
 * clients and the AWS SDK log at WARN and above only: their INFO lines dump whole client configs.
 */
public final class JsonLinesProvider implements SLF4JServiceProvider {
    private ILoggerFactory loggerFactory;
    private IMarkerFactory markerFactory;
    private MDCAdapter mdcAdapter;

    @Override
    public void initialize() {
        Level level = JsonLinesLoggerFactory.parseLevel(System.getenv("AWS_LAMBDA_LOG_LEVEL"));
        loggerFactory = new JsonLinesLoggerFactory(level, () -> System.out);
        markerFactory = new BasicMarkerFactory();
        mdcAdapter = new NOPMDCAdapter();
    }

    @Override
    public ILoggerFactory getLoggerFactory() {
        return loggerFactory;
    }

    @Override
    public IMarkerFactory getMarkerFactory() {
        return markerFactory;
    }

    @Override
    public MDCAdapter getMDCAdapter() {
        return mdcAdapter;
    }

    @Override
    public String getRequestedApiVersion() {
        return "2.0.99";
    }
}
