package io.lagsnap.gcf;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The real Java Functions Framework invoker serving the packaged function jar, as Cloud Functions runs it:
 * {@code java -jar java-function-invoker.jar --classpath lagsnap-gcf.jar --target CLASS --port PORT}.
 */
final class InvokerProcess implements AutoCloseable {
    private final Process process;
    private final Path log;
    private final int port;

    private InvokerProcess(Process process, Path log, int port) {
        this.process = process;
        this.log = log;
        this.port = port;
    }

    /** Starts the invoker with the function's environment and waits until it accepts connections. */
    static InvokerProcess start(String target, Path dir, Map<String, String> env) throws IOException {
        int port = freePort();
        Path log = dir.resolve(target.substring(target.lastIndexOf('.') + 1) + ".log");
        ProcessBuilder builder = new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Xmx256m",
                "-jar", System.getProperty("invoker.jar"),
                "--classpath", System.getProperty("gcf.jar"),
                "--target", target,
                "--port", Integer.toString(port))
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        builder.environment().keySet().removeIf(k -> k.startsWith("LAGSNAP_") || k.startsWith("GOOGLE_"));
        builder.environment().putAll(env);
        InvokerProcess invoker = new InvokerProcess(builder.start(), log, port);
        invoker.awaitListening();
        return invoker;
    }

    URI uri() {
        return URI.create("http://127.0.0.1:" + port + "/");
    }

    /** Everything the invoker and the function wrote so far. */
    List<String> logLines() {
        try {
            return Files.readAllLines(log);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void awaitListening() throws IOException {
        long giveUp = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < giveUp && process.isAlive()) {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 200);
                return;
            } catch (IOException notYet) {
                sleep();
            }
        }
        throw new IllegalStateException("invoker did not listen on " + port + " (alive: " + process.isAlive()
                + "); log:\n" + String.join("\n", logLines()));
    }

    private static void sleep() {
        try {
            Thread.sleep(100);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
