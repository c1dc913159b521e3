package io.lagsnap.sink.api.config;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Parses humantime-style durations as klag-exporter writes them: "30s", "500ms", "1m30s", "2h". */
public final class Durations {
    private static final Pattern PART = Pattern.compile("(\\d+)\\s*(ms|s|m|h|d)");
    /** The widest range any duration key accepts; keys narrow it (see docs/configuration.md). */
    public static final Duration MIN = Duration.ofMillis(1);
    public static final Duration MAX = Duration.ofHours(24);

    private Durations() {
    }

    /** @param where the key path for the error message, e.g. "config.toml: run.deadline" */
    public static Duration parse(String text, String where) {
        return parse(text, where, MIN, MAX);
    }

    /** As {@link #parse(String, String)}, failing unless {@code min <= duration <= max}. */
    public static Duration parse(String text, String where, Duration min, Duration max) {
        String s = text.trim();
        if (s.startsWith("-")) {
            throw new ConfigException(where + ": duration must be positive, got \"" + text + "\"");
        }
        Matcher m = PART.matcher(s);
        Duration total = Duration.ZERO;
        int end = 0;
        boolean tooLarge = false;
        while (m.find() && m.start() == end) {
            try {
                long n = Long.parseLong(m.group(1));
                total = total.plus(switch (m.group(2)) {
                    case "ms" -> Duration.ofMillis(n);
                    case "s" -> Duration.ofSeconds(n);
                    case "m" -> Duration.ofMinutes(n);
                    case "h" -> Duration.ofHours(n);
                    default -> Duration.ofDays(n);
                });
            } catch (NumberFormatException | ArithmeticException e) {
                tooLarge = true;
            }
            end = m.end();
            while (end < s.length() && s.charAt(end) == ' ') {
                end++;
            }
        }
        if (s.isEmpty() || end != s.length()) {
            throw new ConfigException(where + ": \"" + text
                    + "\" is not a duration (use a number with a unit: 500ms, 30s, 5m, 1h, or 1m30s)");
        }
        if (!tooLarge && total.isZero()) {
            throw new ConfigException(where + ": duration must be positive, got \"" + text + "\"");
        }
        if (tooLarge || total.compareTo(min) < 0 || total.compareTo(max) > 0) {
            throw new ConfigException(where + ": \"" + text + "\" is out of range: must be from " + format(min)
                    + " to " + format(max));
        }
        return total;
    }

    /** The shortest exact form: "24h", "90s", "500ms". */
    public static String format(Duration d) {
        long ms = d.toMillis();
        if (ms % 3_600_000 == 0) {
            return ms / 3_600_000 + "h";
        }
        if (ms % 60_000 == 0) {
            return ms / 60_000 + "m";
        }
        if (ms % 1000 == 0) {
            return ms / 1000 + "s";
        }
        return ms + "ms";
    }
}
