package io.lagsnap.sink.pushgateway;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/** Prometheus's own linter ({@code promtool check metrics}, Debian package prometheus), fed on stdin. */
final class Promtool {
    record Result(int exitCode, String output) {
    }

    private Promtool() {
    }

    static Result checkMetrics(String exposition) throws IOException, InterruptedException {
        Process p;
        try {
            p = new ProcessBuilder("promtool", "check", "metrics").redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new AssertionError("promtool is not installed: apt-get install -y --no-install-recommends "
                    + "prometheus (" + e.getMessage() + ")");
        }
        try (OutputStream in = p.getOutputStream()) {
            in.write(exposition.getBytes(StandardCharsets.UTF_8));
        }
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("promtool did not finish");
        }
        return new Result(p.exitValue(), output);
    }
}
