package io.lagsnap.core.config;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.slf4j.bridge.SLF4JBridgeHandler;

/**
 * Every log path of the process through {@link Secrets#scrubLog}: java.util.logging (which the OpenTelemetry SDK
 * uses, and whose lines may quote OTLP headers) is bridged into SLF4J, and the process's stdout and stderr, where
 * the SLF4J provider and anything else print, are replaced by streams that scrub each line before writing it.
 */
public final class LogScrubbing {
    private static boolean installed;

    private LogScrubbing() {
    }

    /** Idempotent; call first thing in a process's main. */
    public static synchronized void install() {
        if (installed) {
            return;
        }
        installed = true;
        bridgeJul();
        System.setOut(scrubbing(System.out));
        System.setErr(scrubbing(System.err));
    }

    /** Routes java.util.logging into SLF4J, dropping JUL's own console handler. */
    public static void bridgeJul() {
        if (!SLF4JBridgeHandler.isInstalled()) {
            SLF4JBridgeHandler.removeHandlersForRootLogger();
            SLF4JBridgeHandler.install();
        }
    }

    /** A print stream that writes {@code target} one scrubbed line at a time. */
    public static PrintStream scrubbing(PrintStream target) {
        return new PrintStream(new LineScrubber(target), true, StandardCharsets.UTF_8);
    }

    /** Holds bytes until a line ends (or a flush), so a secret is scrubbed whole even when printed in pieces. */
    private static final class LineScrubber extends OutputStream {
        private final PrintStream target;
        private final ByteArrayOutputStream line = new ByteArrayOutputStream();

        LineScrubber(PrintStream target) {
            this.target = target;
        }

        @Override
        public synchronized void write(int b) {
            line.write(b);
            if (b == '\n') {
                emit();
            }
        }

        @Override
        public synchronized void write(byte[] b, int off, int len) {
            int start = off;
            for (int i = off; i < off + len; i++) {
                if (b[i] == '\n') {
                    line.write(b, start, i + 1 - start);
                    emit();
                    start = i + 1;
                }
            }
            line.write(b, start, off + len - start);
        }

        @Override
        public synchronized void flush() {
            emit();
            target.flush();
        }

        private void emit() {
            if (line.size() == 0) {
                return;
            }
            byte[] out = Secrets.scrubLog(line.toString(StandardCharsets.UTF_8)).getBytes(StandardCharsets.UTF_8);
            line.reset();
            target.write(out, 0, out.length);
        }

        @Override
        public void close() throws IOException {
            flush();
        }
    }
}
