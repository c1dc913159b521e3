package io.lagsnap.sink.api.example;

import io.lagsnap.sink.api.Sink;
import io.lagsnap.sink.api.SinkContext;
import io.lagsnap.sink.api.SinkProvider;
import io.lagsnap.sink.api.config.SinkConfig;
import java.nio.file.Path;
import java.util.Set;

/** {@code [[sinks]] type = "summary-lines", path = "FILE"}: registered in META-INF/services, found by type. */
public final class SummaryLineSinkProvider implements SinkProvider {
    @Override
    public String type() {
        return "summary-lines";
    }

    @Override
    public Sink create(SinkConfig config, SinkContext context) {
        config.requireOnlyKeys(Set.of("path"));
        return new SummaryLineSink(Path.of(config.requiredString("path")));
    }
}
