package io.lagsnap.testkit;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Prometheus's own checker and linter ({@code promtool}, Debian package prometheus) as a subprocess. */
public final class Promtool {
    /** What promtool printed (stdout and stderr) and its exit code. */
    public record Result(int exitCode, String output) {
    }

    private Promtool() {
    }

    /** {@code promtool check metrics} on {@code exposition}, the way a scrape would be linted. */
    public static Result checkMetrics(String exposition) throws IOException, InterruptedException {
        Path stdin = Files.createTempFile("exposition", ".prom");
        try {
            Files.writeString(stdin, exposition, StandardCharsets.UTF_8);
            return run(stdin, "check", "metrics");
        } finally {
            Files.deleteIfExists(stdin);
        }
    }

    /** {@code promtool ARGS...}, with {@code stdin} (or nothing) on its standard input. */
    public static Result run(Path stdin, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(RequiredTool.onPath("promtool").toString()));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectInput(stdin == null ? new File("/dev/null") : stdin.toFile());
        Process p = pb.start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("promtool " + String.join(" ", args) + " did not finish in 60 s");
        }
        return new Result(p.exitValue(), output);
    }
}
