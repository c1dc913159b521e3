package io.lagsnap.core.monitoring;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Prometheus's own checker ({@code promtool}, Debian package prometheus) as a subprocess. */
final class Promtool {
    record Result(int exitCode, String output) {
    }

    private Promtool() {
    }

    /** {@code promtool ARGS...}, with {@code stdin} (or nothing) on its standard input. */
    static Result run(Path stdin, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("promtool"));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        pb.redirectInput(stdin == null ? ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))
                : ProcessBuilder.Redirect.from(stdin.toFile()));
        Process p;
        try {
            p = pb.start();
        } catch (IOException e) {
            throw new AssertionError("promtool is not installed: apt-get install -y --no-install-recommends "
                    + "prometheus (.ci/run does this): " + e.getMessage());
        }
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("promtool " + String.join(" ", args) + " did not finish in 60 s");
        }
        return new Result(p.exitValue(), output);
    }
}
