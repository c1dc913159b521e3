package io.lagsnap.core.sink.builtin;

import io.lagsnap.core.format.OutputFormat;
import io.lagsnap.sink.api.Deadline;
import io.lagsnap.sink.api.Delivery;
import io.lagsnap.sink.api.Sink;
import io.lagsnap.sink.api.metrics.MetricFamily;
import io.lagsnap.sink.api.model.ClusterSnapshot;
import io.lagsnap.sink.api.model.Snapshot;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * Writes the snapshot to a file, atomically: a temporary file in the same directory is moved over the target, so
 * readers and overlapping runs never see half a snapshot. In a metric format (prometheus, metrics_json) the file is
 * replaced once more when the run report exists, with the run's own metrics ({@code lagsnap_sink_*},
 * {@code lagsnap_run_*}) appended to the snapshot's encoding kept from the first write, never encoded twice: a
 * node_exporter textfile collector then sees how every sink did.
 *
 * <p>File attributes: a replaced file keeps its mode, owner and group (the owner and group as far as the process
 * may set them); a new file gets {@code mode} when configured, else what the umask leaves of rw-rw-rw-. A symlink
 * is written through: its target is replaced, the link stays.
 *
 * <p>In the NDJSON row format, a run that collected no cluster at all fails this sink and leaves the previous file
 * as it was: an empty file would pass for "no consumer groups" and destroy the last good snapshot.
 */
final class FileSink implements Sink {
    private static final boolean POSIX = FileSystems.getDefault().supportedFileAttributeViews().contains("posix");

    private final Path path;
    private final OutputFormat format;
    /** The mode of a new file; null for what the umask gives. */
    private final Set<PosixFilePermission> mode;
    /** The snapshot's encoding, kept until the run's own metrics are appended to it. */
    private Path encoded;

    FileSink(Path path, OutputFormat format, Set<PosixFilePermission> mode) {
        this.path = path;
        this.format = format;
        this.mode = mode;
    }

    @Override
    public Delivery deliver(Snapshot snapshot, Deadline deadline) throws Exception {
        if (format == OutputFormat.JSON && snapshot.clusters().stream().noneMatch(ClusterSnapshot::up)) {
            return Delivery.failed("no cluster was collected: kept the previous " + path
                    + (Files.exists(path) ? "" : " (there is none)") + " rather than write an empty one");
        }
        Path target = target();
        Path staged = staged(target, out -> format.write(snapshot, out));
        if (format.carriesRunMetrics()) {
            encoded = staged;
            staged = staged(target, out -> Files.copy(encoded, out));
        }
        publish(staged, target);
        return written(target);
    }

    @Override
    public Delivery deliverReport(String runId, List<MetricFamily> runMetrics, Deadline deadline) throws Exception {
        if (encoded == null) {
            return Delivery.unchanged();
        }
        Path target = target();
        publish(staged(target, out -> format.appendRunMetrics(encoded, runMetrics, out)), target);
        return written(target);
    }

    /** What the file holds now, so the run report gives the size actually written. */
    private Delivery written(Path target) throws IOException {
        return Delivery.ok("wrote " + format.configName() + " to " + path + " (" + Files.size(target) + " bytes)");
    }

    @Override
    public void close() throws IOException {
        if (encoded != null) {
            Files.deleteIfExists(encoded);
        }
    }

    /** The file to replace: the path, or where its symlink points. */
    private Path target() throws IOException {
        Path absolute = path.toAbsolutePath();
        if (!Files.isSymbolicLink(absolute)) {
            return absolute;
        }
        Path link = Files.readSymbolicLink(absolute);
        Path resolved = absolute.getParent().resolve(link).normalize();
        return Files.isSymbolicLink(resolved) ? resolved.toRealPath() : resolved;
    }

    /** A hidden file beside the target holding what {@code content} wrote; nothing is left behind on failure. */
    private Path staged(Path target, Content content) throws IOException {
        Path dir = target.getParent();
        Files.createDirectories(dir);
        // created plainly, so the umask applies, as it does to any file a process writes
        Path staged = Files.createFile(dir.resolve("." + target.getFileName() + "." + UUID.randomUUID() + ".tmp"));
        // 64 KiB writes: encoders flush a few KiB at a time, 4,400 system calls for 35 MB of NDJSON
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(staged), 1 << 16)) {
            content.writeTo(out);
        } catch (IOException e) {
            Files.deleteIfExists(staged);
            // "No space left on device" alone names no file
            throw new IOException("writing " + staged + " (for " + path + "): " + e.getMessage(), e);
        } catch (RuntimeException e) {
            Files.deleteIfExists(staged);
            throw e;
        }
        return staged;
    }

    @FunctionalInterface
    private interface Content {
        void writeTo(OutputStream out) throws IOException;
    }

    private void publish(Path staged, Path target) throws IOException {
        try {
            attributesFor(staged, target);
            Files.move(staged, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(staged);
        }
    }

    /** The replaced file's mode, owner and group, or the configured mode for a new file. */
    private void attributesFor(Path staged, Path target) throws IOException {
        if (!POSIX) {
            return;
        }
        if (Files.exists(target)) {
            PosixFileAttributes old = Files.readAttributes(target, PosixFileAttributes.class);
            Files.setPosixFilePermissions(staged, old.permissions());
            PosixFileAttributeView view = Files.getFileAttributeView(staged, PosixFileAttributeView.class);
            try {
                if (!view.readAttributes().owner().equals(old.owner())) {
                    view.setOwner(old.owner());
                }
                if (!view.readAttributes().group().equals(old.group())) {
                    view.setGroup(old.group());
                }
            } catch (IOException notPermitted) {
                // only root may give a file away; the new file is then this process's, as any file it writes
            }
        } else if (mode != null) {
            Files.setPosixFilePermissions(staged, mode);
        }
    }
}
