package io.lagsnap.testkit;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The lagsnap CLI in a JVM of its own, as a CronJob runs it: its own heap limit, environment, stdout and stderr,
 * and an exit code. The class path is this test JVM's, so it holds every sink module.
 */
public final class CliProcess {
    /** What one run left behind. */
    public record Result(int exitCode, String stdout, String stderr) {
    }

    private final Process process;
    private final Path stdout;
    private final Path stderr;

    private CliProcess(Process process, Path stdout, Path stderr) {
        this.process = process;
        this.stdout = stdout;
        this.stderr = stderr;
    }

    /**
     * Starts {@code lagsnap --config CONFIG} with the JVM options given (e.g. "-Xmx512m") and these extra environment
     * variables; stdout and stderr go to files in {@code outputDir}, named after {@code name}.
     */
    public static CliProcess start(String name, Path config, Map<String, String> env, Path outputDir,
                                   List<String> jvmOptions) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(ExternalProcess.java());
        command.addAll(jvmOptions);
        command.addAll(List.of("io.lagsnap.cli.LagsnapCli", "--config", config.toString()));
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().put("CLASSPATH", System.getProperty("java.class.path"));
        builder.environment().putAll(env);
        Path out = outputDir.resolve(name + ".stdout");
        Path err = outputDir.resolve(name + ".stderr");
        builder.redirectOutput(out.toFile()).redirectError(err.toFile());
        return new CliProcess(builder.start(), out, err);
    }

    /** What the run has written to stderr so far. */
    public String stderrSoFar() throws IOException {
        return Files.readString(stderr, StandardCharsets.UTF_8);
    }

    /** Sends SIGTERM, as Kubernetes does when it stops a pod. */
    public void terminate() {
        process.destroy();
    }

    /** Waits for the exit; a run that outlives {@code timeout} is killed and fails the test. */
    public Result await(Duration timeout) throws IOException, InterruptedException {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            process.destroyForcibly().waitFor();
            throw new AssertionError("lagsnap did not exit within " + timeout + "; stderr:\n"
                    + Files.readString(stderr, StandardCharsets.UTF_8));
        }
        return new Result(process.exitValue(), Files.readString(stdout, StandardCharsets.UTF_8),
                Files.readString(stderr, StandardCharsets.UTF_8));
    }
}
