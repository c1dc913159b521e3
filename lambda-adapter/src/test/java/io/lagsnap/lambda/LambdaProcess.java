package io.lagsnap.lambda;

import io.lagsnap.testkit.ExternalProcess;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

/**
 * The packaged function as Lambda runs it: lagsnap-lambda.zip unpacked into a task root, which is the working
 * directory of the real runtime interface client ({@code AWSLambda}); the client loads the handler from the task
 * root and lib/ as in Lambda, and talks to a {@link RuntimeApiStandIn}.
 */
final class LambdaProcess implements AutoCloseable {
    static final String HANDLER = "io.lagsnap.lambda.LagsnapHandler::handleRequest";

    private final ExternalProcess process;

    private LambdaProcess(ExternalProcess process) {
        this.process = process;
    }

    /** Starts the client on the unpacked zip with the function's environment {@code env}. */
    static LambdaProcess start(Path dir, RuntimeApiStandIn api, Map<String, String> env) throws IOException {
        Path taskRoot = unzip(Path.of(System.getProperty("lambda.zip")), dir.resolve("task"));
        ProcessBuilder builder = new ProcessBuilder(ExternalProcess.java(),
                "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Xmx256m",
                "-cp", System.getProperty("ric.classpath"),
                "com.amazonaws.services.lambda.runtime.api.client.AWSLambda", HANDLER)
                .directory(taskRoot.toFile());
        Map<String, String> processEnv = builder.environment();
        processEnv.keySet().removeIf(k -> k.startsWith("LAGSNAP_") || k.startsWith("AWS_"));
        processEnv.putAll(Map.of(
                "AWS_LAMBDA_RUNTIME_API", api.address(),
                "AWS_LAMBDA_FUNCTION_NAME", "lagsnap",
                "AWS_LAMBDA_FUNCTION_VERSION", "$LATEST",
                "AWS_LAMBDA_FUNCTION_MEMORY_SIZE", "512",
                "AWS_REGION", "us-east-1",
                "LAMBDA_TASK_ROOT", taskRoot.toString(),
                "_HANDLER", HANDLER));
        processEnv.putAll(env);
        return new LambdaProcess(ExternalProcess.start("the Lambda runtime client", builder,
                dir.resolve("lambda.log")));
    }

    /** Waits for the function's answer; on timeout fails with the function's log. */
    RuntimeApiStandIn.Outcome await(CompletableFuture<RuntimeApiStandIn.Outcome> outcome) {
        try {
            return outcome.get(90, TimeUnit.SECONDS);
        } catch (TimeoutException | ExecutionException e) {
            throw new AssertionError("no answer from the function (alive: " + process.isAlive() + "); log:\n"
                    + String.join("\n", logLines()), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** Everything the function wrote to stdout and stderr so far. */
    List<String> logLines() {
        return process.logLines();
    }

    private static Path unzip(Path zip, Path target) throws IOException {
        try (InputStream in = Files.newInputStream(zip); ZipInputStream entries = new ZipInputStream(in)) {
            for (ZipEntry e = entries.getNextEntry(); e != null; e = entries.getNextEntry()) {
                Path out = target.resolve(e.getName()).normalize();
                if (!out.startsWith(target)) {
                    throw new IOException("zip entry outside the task root: " + e.getName());
                }
                if (e.isDirectory()) {
                    Files.createDirectories(out);
                } else {
                    Files.createDirectories(out.getParent());
                    Files.copy(entries, out);
                }
            }
        }
        return target;
    }

    @Override
    public void close() {
        process.close();
    }
}
