package io.lagsnap.gcf;

import io.lagsnap.testkit.ExternalProcess;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The real Java Functions Framework invoker serving the packaged function jar, as Cloud Functions runs it:
 * {@code java -jar java-function-invoker.jar --classpath lagsnap-gcf.jar --target CLASS --port PORT}.
 */
final class InvokerProcess implements AutoCloseable {
    private final ExternalProcess process;
    private final int port;

    private InvokerProcess(ExternalProcess process, int port) {
        this.process = process;
        this.port = port;
    }

    /** Starts the invoker with the function's environment and waits until it accepts connections. */
    static InvokerProcess start(String target, Path dir, Map<String, String> env) throws IOException {
        int port = ExternalProcess.freePort();
        ProcessBuilder builder = new ProcessBuilder(ExternalProcess.java(),
                "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Xmx256m",
                "-jar", System.getProperty("invoker.jar"),
                "--classpath", System.getProperty("gcf.jar"),
                "--target", target,
                "--port", Integer.toString(port));
        builder.environment().keySet().removeIf(k -> k.startsWith("LAGSNAP_") || k.startsWith("GOOGLE_"));
        builder.environment().putAll(env);
        ExternalProcess process = ExternalProcess.start("the invoker", builder,
                dir.resolve(target.substring(target.lastIndexOf('.') + 1) + ".log"));
        process.awaitListening(port, Duration.ofSeconds(60));
        return new InvokerProcess(process, port);
    }

    URI uri() {
        return URI.create("http://127.0.0.1:" + port + "/");
    }

    /** Everything the invoker and the function wrote so far. */
    List<String> logLines() {
        return process.logLines();
    }

    @Override
    public void close() {
        process.close();
    }
}
