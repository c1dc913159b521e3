package io.lagsnap.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A cold JVM subprocess, timed from just before it is started to its exit. Its peak RSS is /proc/PID/status's VmHWM,
 * polled every {@value #POLL_MILLIS} ms while it runs (a high-water mark, so only growth in the last few ms before
 * exit can be missed). Stdout is discarded but the lines starting with a prefix are counted; stderr is kept.
 */
final class JavaProcess {
    private static final long POLL_MILLIS = 10;

    record Result(int exitCode, long wallMs, Long peakRssKb, long prefixedLines, List<String> stderr) {
    }

    private JavaProcess() {
    }

    static Result run(List<String> command, String countLinesStartingWith, Path stderrFile, Duration timeout)
            throws IOException, InterruptedException {
        LineCounter stdout = new LineCounter(countLinesStartingWith);
        ProcessBuilder builder = new ProcessBuilder(command).redirectError(stderrFile.toFile());
        long start = System.nanoTime();
        Process process = builder.start();
        Thread drain = new Thread(() -> {
            try {
                process.getInputStream().transferTo(stdout);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }, "bench-stdout");
        drain.start();
        Path status = Path.of("/proc", Long.toString(process.pid()), "status");
        long deadline = start + timeout.toNanos();
        Long peakRss = null;
        while (!process.waitFor(POLL_MILLIS, TimeUnit.MILLISECONDS)) {
            peakRss = vmHwm(status, peakRss);
            if (System.nanoTime() > deadline) {
                process.destroyForcibly().waitFor();
                throw new IllegalStateException("timed out after " + timeout + ": " + String.join(" ", command));
            }
        }
        long wallMs = Duration.ofNanos(System.nanoTime() - start).toMillis();
        drain.join();
        return new Result(process.exitValue(), wallMs, peakRss, stdout.lines(), Files.readAllLines(stderrFile));
    }

    /** VmHWM in KiB, or {@code previous} when the process is gone (or a zombie without memory lines). */
    private static Long vmHwm(Path status, Long previous) {
        try {
            return Files.readAllLines(status).stream().filter(l -> l.startsWith("VmHWM:"))
                    .map(l -> Long.parseLong(l.replaceAll("\\D", ""))).findFirst().orElse(previous);
        } catch (IOException e) {
            return previous;
        }
    }

    /** The java launcher of the JDK running the benchmark. */
    static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }
}
