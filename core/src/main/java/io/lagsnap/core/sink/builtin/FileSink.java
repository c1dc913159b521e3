package io.lagsnap.core.sink.builtin;

import io.lagsnap.core.format.OutputFormat;
import io.lagsnap.core.metrics.MetricFamily;
import io.lagsnap.core.model.Snapshot;
import io.lagsnap.core.run.Deadline;
import io.lagsnap.core.run.RunReport;
import io.lagsnap.core.sink.Delivery;
import io.lagsnap.core.sink.Sink;
import io.lagsnap.core.sink.StagingFiles;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;

/**
 * Writes the snapshot to a file, atomically: a temporary file in the same directory is moved over the target, so
 * readers and overlapping runs never see half a snapshot. In a metric format (prometheus, metrics_json) the file is
 * written again once the run report exists, with the run's own metrics ({@code lagsnap_sink_*},
 * {@code lagsnap_run_*}) added: a node_exporter textfile collector then sees how every sink did.
 */
final class FileSink implements Sink {
    private final Path path;
    private final OutputFormat format;
    private Snapshot delivered;

    FileSink(Path path, OutputFormat format) {
        this.path = path;
        this.format = format;
    }

    @Override
    public Delivery deliver(Snapshot snapshot, Deadline deadline) throws Exception {
        write(snapshot, List.of());
        delivered = snapshot;
        return Delivery.ok("wrote " + format.configName() + " to " + path + " (" + Files.size(path) + " bytes)");
    }

    @Override
    public void deliverReport(RunReport report, Deadline deadline) throws Exception {
        if (delivered != null && format.carriesRunMetrics()) {
            write(delivered, report.metrics());
        }
    }

    private void write(Snapshot snapshot, List<MetricFamily> runMetrics) throws IOException {
        Path dir = path.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path tmp = StagingFiles.beside(dir, "." + path.getFileName());
        try {
            try (OutputStream out = Files.newOutputStream(tmp)) {
                format.write(snapshot, runMetrics, out);
            }
            Files.move(tmp, path, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }
}
