package io.lagsnap.lambda.logging;

import java.io.PrintStream;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.slf4j.ILoggerFactory;
import org.slf4j.Logger;
import org.slf4j.event.Level;

/** One {@link JsonLinesLogger} per name, each with its threshold. */
final class JsonLinesLoggerFactory implements ILoggerFactory {
    /** Libraries whose INFO output is noise in a one-shot function (client configs, SDK chatter). */
    private static final List<String> QUIET_BELOW_WARN = List.of("org.apache.kafka", "software.amazon", "io.netty");

    private final Level level;
    private final Supplier<PrintStream> out;
    private final Map<String, Logger> loggers = new ConcurrentHashMap<>();

    /** @param out looked up at each line: the Lambda runtime replaces System.out after start-up */
    JsonLinesLoggerFactory(Level level, Supplier<PrintStream> out) {
        this.level = level;
        this.out = out;
    }

    @Override
    public Logger getLogger(String name) {
        return loggers.computeIfAbsent(name, n -> new JsonLinesLogger(n, threshold(n), out));
    }

    private Level threshold(String name) {
        boolean quiet = QUIET_BELOW_WARN.stream().anyMatch(name::startsWith);
        return quiet && level.toInt() < Level.WARN.toInt() ? Level.WARN : level;
    }

    /** Lambda's level names (TRACE, DEBUG, INFO, WARN, ERROR, FATAL); unset or unknown means INFO. */
    static Level parseLevel(String text) {
        if (text == null) {
            return Level.INFO;
        }
        return switch (text.trim().toUpperCase(Locale.ROOT)) {
            case "TRACE" -> Level.TRACE;
            case "DEBUG" -> Level.DEBUG;
            case "WARN" -> Level.WARN;
            case "ERROR", "FATAL" -> Level.ERROR;
            default -> Level.INFO;
        };
    }
}
