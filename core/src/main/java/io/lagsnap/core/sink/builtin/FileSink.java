package io.lagsnap.core.sink.builtin;

import io.lagsnap.core.format.OutputFormat;
import io.lagsnap.sink.api.Deadline;
import io.lagsnap.sink.api.Delivery;
import io.lagsnap.sink.api.Sink;
import io.lagsnap.sink.api.StagingFiles;
import io.lagsnap.sink.api.metrics.MetricFamily;
import io.lagsnap.sink.api.model.Snapshot;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;

/**
 * Writes the snapshot to a file, atomically: a temporary file in the same directory is moved over the target, so
 * readers and overlapping runs never see half a snapshot. In a metric format (prometheus, metrics_json) the file is
 * replaced once more when the run report exists, with the run's own metrics ({@code lagsnap_sink_*},
 * {@code lagsnap_run_*}) appended to the snapshot's encoding kept from the first write, never encoded twice: a
 * node_exporter textfile collector then sees how every sink did.
 */
final class FileSink implements Sink {
    private final Path path;
    private final OutputFormat format;
    /** The snapshot's encoding, kept until the run's own metrics are appended to it. */
    private Path encoded;

    FileSink(Path path, OutputFormat format) {
        this.path = path;
        this.format = format;
    }

    @Override
    public Delivery deliver(Snapshot snapshot, Deadline deadline) throws Exception {
        Path staged = staged(out -> format.write(snapshot, out));
        if (format.carriesRunMetrics()) {
            encoded = staged;
            staged = staged(out -> Files.copy(encoded, out));
        }
        publish(staged);
        return Delivery.ok("wrote " + format.configName() + " to " + path + " (" + Files.size(path) + " bytes)");
    }

    @Override
    public void deliverReport(String runId, List<MetricFamily> runMetrics, Deadline deadline) throws Exception {
        if (encoded != null) {
            publish(staged(out -> format.appendRunMetrics(encoded, runMetrics, out)));
        }
    }

    @Override
    public void close() throws IOException {
        if (encoded != null) {
            Files.deleteIfExists(encoded);
        }
    }

    /** A hidden file beside the target holding what {@code content} wrote; nothing is left behind on failure. */
    private Path staged(Content content) throws IOException {
        Path dir = path.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path staged = StagingFiles.beside(dir, "." + path.getFileName());
        try (OutputStream out = Files.newOutputStream(staged)) {
            content.writeTo(out);
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(staged);
            throw e;
        }
        return staged;
    }

    @FunctionalInterface
    private interface Content {
        void writeTo(OutputStream out) throws IOException;
    }

    private void publish(Path staged) throws IOException {
        try {
            Files.move(staged, path, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(staged);
        }
    }
}
