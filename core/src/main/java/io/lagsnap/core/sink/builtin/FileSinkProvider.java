package io.lagsnap.core.sink.builtin;

import io.lagsnap.core.format.OutputFormat;
import io.lagsnap.sink.api.Sink;
import io.lagsnap.sink.api.SinkContext;
import io.lagsnap.sink.api.SinkProvider;
import io.lagsnap.sink.api.config.SinkConfig;
import java.nio.file.Path;
import java.util.Set;

/**
 * {@code type = "file"}: {@code path} (required) and {@code format}: "json" (NDJSON rows, the default),
 * "prometheus", "metrics_json" (the JSON metric array) or "html" (the lag status page, a section per cluster).
 */
public final class FileSinkProvider implements SinkProvider {
    @Override
    public String type() {
        return "file";
    }

    @Override
    public Sink create(SinkConfig config, SinkContext context) {
        config.requireOnlyKeys(Set.of("path", "format"));
        String path = config.requiredString("path");
        String format = config.choice("format", "json", Set.of("json", "prometheus", "metrics_json", "html"));
        return new FileSink(Path.of(path), OutputFormat.parse(format));
    }
}
