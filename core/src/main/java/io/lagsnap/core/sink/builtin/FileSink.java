package io.lagsnap.core.sink.builtin;

import io.lagsnap.core.format.OutputFormat;
import io.lagsnap.core.model.Snapshot;
import io.lagsnap.core.run.Deadline;
import io.lagsnap.core.sink.Delivery;
import io.lagsnap.core.sink.Sink;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Writes the snapshot to a file, atomically: a temporary file in the same directory is moved over the target, so
 * readers and overlapping runs never see half a snapshot.
 */
final class FileSink implements Sink {
    private final Path path;
    private final OutputFormat format;

    FileSink(Path path, OutputFormat format) {
        this.path = path;
        this.format = format;
    }

    @Override
    public Delivery deliver(Snapshot snapshot, Deadline deadline) throws Exception {
        Path dir = path.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path tmp = Files.createTempFile(dir, "." + path.getFileName(), ".tmp");
        try {
            try (OutputStream out = Files.newOutputStream(tmp)) {
                format.write(snapshot, out);
            }
            Files.move(tmp, path, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(tmp);
        }
        return Delivery.ok("wrote " + format.configName() + " to " + path + " (" + Files.size(path) + " bytes)");
    }
}
