package io.lagsnap.core.config;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.logging.Filter;
import java.util.logging.Formatter;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.SimpleFormatter;
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

    /**
     * Where java.util.logging is the log path itself (a Cloud Function: SLF4J goes to JUL and the Functions Framework
     * formats JUL records for Cloud Logging), every record reaching a root handler is scrubbed before the handler
     * formats it: message and parameters become the scrubbed text, and a stack trace is folded into it, scrubbed.
     * Idempotent per handler.
     */
    public static synchronized void scrubJulHandlers() {
        for (Handler handler : java.util.logging.Logger.getLogger("").getHandlers()) {
            if (!(handler.getFilter() instanceof ScrubbingFilter)) {
                handler.setFilter(new ScrubbingFilter(handler.getFilter()));
            }
        }
    }

    /** Rewrites each record to its scrubbed text, then defers to the handler's own filter. */
    private record ScrubbingFilter(Filter next) implements Filter {
        private static final Formatter MESSAGES = new SimpleFormatter();

        @Override
        public boolean isLoggable(LogRecord record) {
            StringBuilder text = new StringBuilder(MESSAGES.formatMessage(record));
            if (record.getThrown() != null) {
                StringWriter trace = new StringWriter();
                record.getThrown().printStackTrace(new PrintWriter(trace));
                text.append(System.lineSeparator()).append(trace);
                record.setThrown(null);
            }
            record.setMessage(Secrets.scrubLog(text.toString()));
            record.setParameters(null);
            return next == null || next.isLoggable(record);
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
