package io.lagsnap.sink.api.config;

import java.util.Comparator;
import java.util.List;
import java.util.stream.Collectors;

/**
 * One or more configuration problems. Each names the file or key and what is wrong; the message holds one problem a
 * line, sorted by line in the file. The CLI exits 2.
 */
public final class ConfigException extends RuntimeException {
    private final transient List<Problem> problems;

    public ConfigException(String message) {
        this(0, message);
    }

    /** @param line the line in the config file the problem is on, 0 when not known */
    public ConfigException(int line, String message) {
        super(message);
        this.problems = List.of(new Problem(line, message));
    }

    public ConfigException(String message, Throwable cause) {
        super(message, cause);
        this.problems = List.of(new Problem(0, message));
    }

    /** All problems of one file: those without a line first, then by line; equal lines keep their order. */
    public ConfigException(List<Problem> problems) {
        super(sorted(problems).stream().map(Problem::message).collect(Collectors.joining("\n")));
        this.problems = sorted(problems);
    }

    private static List<Problem> sorted(List<Problem> problems) {
        if (problems.isEmpty()) {
            throw new IllegalArgumentException("a ConfigException needs at least one problem");
        }
        return problems.stream().sorted(Comparator.comparingInt(Problem::line)).toList();
    }

    /** The problems, in the order the message lists them. */
    public List<Problem> problems() {
        return problems;
    }

    /** @param line the line in the config file, 0 when not known */
    public record Problem(int line, String message) {
    }
}
