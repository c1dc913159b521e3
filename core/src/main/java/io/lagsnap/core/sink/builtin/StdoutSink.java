package io.lagsnap.core.sink.builtin;

import io.lagsnap.core.format.OutputFormat;
import io.lagsnap.sink.api.Deadline;
import io.lagsnap.sink.api.Delivery;
import io.lagsnap.sink.api.Sink;
import io.lagsnap.sink.api.model.Snapshot;
import java.io.PrintStream;

/** Writes the snapshot to standard output; logs go to stderr, so stdout stays machine-readable. */
final class StdoutSink implements Sink {
    private final OutputFormat format;
    private final PrintStream out;

    StdoutSink(OutputFormat format, PrintStream out) {
        this.format = format;
        this.out = out;
    }

    @Override
    public Delivery deliver(Snapshot snapshot, Deadline deadline) throws Exception {
        synchronized (out) {
            format.write(snapshot, out);
        }
        return Delivery.ok("wrote " + format.configName() + " to stdout");
    }
}
