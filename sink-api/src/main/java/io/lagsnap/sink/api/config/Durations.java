package io.lagsnap.sink.api.config;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Parses humantime-style durations as klag-exporter writes them: "30s", "500ms", "1m30s", "2h". */
public final class Durations {
    private static final Pattern PART = Pattern.compile("(\\d+)\\s*(ms|s|m|h|d)");

    private Durations() {
    }

    /** @param where the key path for the error message, e.g. "config.toml: run.deadline" */
    public static Duration parse(String text, String where) {
        String s = text.trim();
        if (s.startsWith("-")) {
            throw new ConfigException(where + ": duration must be positive, got \"" + text + "\"");
        }
        Matcher m = PART.matcher(s);
        Duration total = Duration.ZERO;
        int end = 0;
        while (m.find() && m.start() == end) {
            long n = Long.parseLong(m.group(1));
            total = total.plus(switch (m.group(2)) {
                case "ms" -> Duration.ofMillis(n);
                case "s" -> Duration.ofSeconds(n);
                case "m" -> Duration.ofMinutes(n);
                case "h" -> Duration.ofHours(n);
                default -> Duration.ofDays(n);
            });
            end = m.end();
            while (end < s.length() && s.charAt(end) == ' ') {
                end++;
            }
        }
        if (s.isEmpty() || end != s.length()) {
            throw new ConfigException(where + ": \"" + text
                    + "\" is not a duration (use a number with a unit: 500ms, 30s, 5m, 1h, or 1m30s)");
        }
        if (total.isZero()) {
            throw new ConfigException(where + ": duration must be positive, got \"" + text + "\"");
        }
        return total;
    }
}
