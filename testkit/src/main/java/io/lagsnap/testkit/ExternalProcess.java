package io.lagsnap.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real component run as a subprocess for a test (s3proxy, the Pushgateway, the Functions Framework invoker, the
 * Lambda runtime client): started with its output in a log file, waited for until it is ready, and stopped. A
 * process that exits or is not ready in time fails with its log, so the test says why.
 */
public final class ExternalProcess implements AutoCloseable {
    private final String name;
    private final Process process;
    private final Path log;

    private ExternalProcess(String name, Process process, Path log) {
        this.name = name;
        this.process = process;
        this.log = log;
    }

    /** Starts {@code builder} (configured by the caller) with stdout and stderr written to {@code log}. */
    public static ExternalProcess start(String name, ProcessBuilder builder, Path log) throws IOException {
        return new ExternalProcess(name, builder.redirectErrorStream(true).redirectOutput(log.toFile()).start(), log);
    }

    /** The {@code java} of the JVM running the tests, for components that are Java programs. */
    public static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    /** A loopback port nothing listens on right now. */
    public static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    /** A readiness check; a throw counts as "not yet". */
    @FunctionalInterface
    public interface Readiness {
        boolean ready() throws Exception;
    }

    /**
     * Waits until {@code readiness} holds; if the process exits first or {@code timeout} passes, stops it and fails
     * with its log.
     */
    public void awaitReady(Duration timeout, Readiness readiness) {
        try {
            Await.until(name + " to be ready", timeout, () -> {
                if (!process.isAlive()) {
                    throw new Await.Hopeless(name + " exited with " + process.exitValue() + "; log:\n" + log(), null);
                }
                return readiness.ready();
            });
        } catch (Await.Hopeless e) {
            close();
            throw e;
        } catch (IllegalStateException e) {
            close();
            throw new IllegalStateException(e.getMessage() + "; log:\n" + log(), e.getCause());
        }
    }

    /** Waits until the process accepts connections on loopback {@code port}. */
    public void awaitListening(int port, Duration timeout) {
        awaitReady(timeout, () -> {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 200);
                return true;
            }
        });
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** Everything the process wrote so far. */
    public String log() {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** As {@link #log()}, line by line. */
    public List<String> logLines() {
        return log().lines().toList();
    }

    /** Asks the process to stop, then kills it if it has not after 10 s. */
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
