package io.lagsnap.testkit;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Samples read back from a Prometheus text exposition file (the file sink's {@code format = "prometheus"}). */
public final class Exposition {
    private static final Pattern SAMPLE = Pattern.compile("^(\\w+)\\{([^}]*)} (\\S+)$");

    private Exposition() {
    }

    /** One sample: its label text ({@code a="1",b="2"}) and value. */
    public record Sample(String labels, double value) {
        /** The value of label {@code name}, or null when the sample has none. */
        public String label(String name) {
            Matcher m = Pattern.compile("(?:^|,)" + Pattern.quote(name) + "=\"([^\"]*)\"").matcher(labels);
            return m.find() ? m.group(1) : null;
        }
    }

    /** The first sample of {@code family} whose {@code group} label is {@code group} (null: any sample of it). */
    public static Optional<Sample> find(Path file, String family, String group) throws IOException {
        for (String line : Files.readAllLines(file)) {
            Matcher m = SAMPLE.matcher(line);
            if (m.matches() && m.group(1).equals(family)) {
                Sample sample = new Sample(m.group(2), value(m.group(3)));
                if (group == null || group.equals(sample.label("group"))) {
                    return Optional.of(sample);
                }
            }
        }
        return Optional.empty();
    }

    /** A sample value in the text format, where infinities are {@code +Inf} and {@code -Inf} (not Java's). */
    private static double value(String text) {
        return switch (text) {
            case "+Inf" -> Double.POSITIVE_INFINITY;
            case "-Inf" -> Double.NEGATIVE_INFINITY;
            default -> Double.parseDouble(text);
        };
    }
}
