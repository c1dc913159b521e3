package io.lagsnap.lambda.logging;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.lagsnap.core.config.Secrets;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.function.Supplier;
import org.slf4j.Marker;
import org.slf4j.event.Level;
import org.slf4j.helpers.LegacyAbstractLogger;
import org.slf4j.helpers.MessageFormatter;

/**
 * Writes {@code {"timestamp":..., "level":..., "logger":..., "message":...[, "error":..., "stack":...]}} as one
 * line, in a single write so concurrent lines never interleave.
 */
final class JsonLinesLogger extends LegacyAbstractLogger {
    private static final JsonFactory JSON = JsonFactory.builder().build();

    private final transient Level threshold;
    private final transient Supplier<PrintStream> out;

    JsonLinesLogger(String name, Level threshold, Supplier<PrintStream> out) {
        this.name = name;
        this.threshold = threshold;
        this.out = out;
    }

    private boolean enabled(Level level) {
        return level.toInt() >= threshold.toInt();
    }

    @Override
    public boolean isTraceEnabled() {
        return enabled(Level.TRACE);
    }

    @Override
    public boolean isDebugEnabled() {
        return enabled(Level.DEBUG);
    }

    @Override
    public boolean isInfoEnabled() {
        return enabled(Level.INFO);
    }

    @Override
    public boolean isWarnEnabled() {
        return enabled(Level.WARN);
    }

    @Override
    public boolean isErrorEnabled() {
        return enabled(Level.ERROR);
    }

    @Override
    protected String getFullyQualifiedCallerName() {
        return null;
    }

    @Override
    protected void handleNormalizedLoggingCall(Level level, Marker marker, String pattern, Object[] args,
                                               Throwable error) {
        byte[] line = line(level, MessageFormatter.basicArrayFormat(pattern, args), error);
        PrintStream stream = out.get();
        stream.write(line, 0, line.length);
        stream.flush();
    }

    private byte[] line(Level level, String message, Throwable error) {
        StringWriter text = new StringWriter();
        try (JsonGenerator g = JSON.createGenerator(text)) {
            g.writeStartObject();
            g.writeStringField("timestamp", Instant.now().toString());
            g.writeStringField("level", level.name());
            g.writeStringField("logger", name);
            g.writeStringField("message", Secrets.scrubLog(message));
            if (error != null) {
                g.writeStringField("error", Secrets.scrubLog(error.toString()));
                StringWriter stack = new StringWriter();
                error.printStackTrace(new PrintWriter(stack));
                g.writeStringField("stack", Secrets.scrubLog(stack.toString()));
            }
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return (text + "\n").getBytes(StandardCharsets.UTF_8);
    }
}
