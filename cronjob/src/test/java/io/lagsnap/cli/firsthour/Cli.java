package io.lagsnap.cli.firsthour;

import io.lagsnap.testkit.ExternalProcess;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** {@code lagsnap ARGS...} in a JVM of its own, as a user runs it: any arguments, extra environment, both streams. */
final class Cli {
    record Result(int code, String stdout, String stderr) {
    }

    private Cli() {
    }

    static Result run(Map<String, String> env, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(ExternalProcess.java(), "io.lagsnap.cli.LagsnapCli"));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().put("CLASSPATH", System.getProperty("java.class.path"));
        builder.environment().putAll(env);
        Path out = Files.createTempFile("lagsnap-cli", ".stdout");
        Path err = Files.createTempFile("lagsnap-cli", ".stderr");
        try {
            Process p = builder.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
            if (!p.waitFor(90, TimeUnit.SECONDS)) {
                p.destroyForcibly().waitFor();
                throw new AssertionError("lagsnap " + String.join(" ", args) + " did not exit within 90 s; stderr:\n"
                        + Files.readString(err, StandardCharsets.UTF_8));
            }
            return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                    Files.readString(err, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }
}
