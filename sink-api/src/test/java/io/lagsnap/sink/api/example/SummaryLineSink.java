package io.lagsnap.sink.api.example;

import io.lagsnap.sink.api.Deadline;
import io.lagsnap.sink.api.Delivery;
import io.lagsnap.sink.api.Sink;
import io.lagsnap.sink.api.model.ClusterSnapshot;
import io.lagsnap.sink.api.model.GroupLag;
import io.lagsnap.sink.api.model.Snapshot;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The template for a new sink: one line per cluster ("NAME up GROUPS groups, max lag N") appended to a file. It
 * reads only the snapshot, takes no longer than the deadline allows (a local write), and reports what it did.
 */
final class SummaryLineSink implements Sink {
    private final Path path;

    SummaryLineSink(Path path) {
        this.path = path;
    }

    @Override
    public Delivery deliver(Snapshot snapshot, Deadline deadline) throws IOException {
        if (deadline.expired()) {
            return Delivery.failed("run deadline reached before writing " + path);
        }
        List<String> lines = new ArrayList<>();
        for (ClusterSnapshot c : snapshot.clusters()) {
            long maxLag = c.groups().stream().map(GroupLag::maxLag).filter(Objects::nonNull)
                    .mapToLong(Long::longValue).max().orElse(0);
            lines.add(c.name() + (c.up() ? " up " : " down ") + c.groups().size() + " groups, max lag " + maxLag);
        }
        Files.write(path, lines, StandardCharsets.UTF_8);
        return Delivery.ok("wrote " + lines.size() + " lines to " + path);
    }
}
