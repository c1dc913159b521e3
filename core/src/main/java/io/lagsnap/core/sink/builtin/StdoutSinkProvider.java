package io.lagsnap.core.sink.builtin;

import io.lagsnap.core.format.OutputFormat;
import io.lagsnap.sink.api.Sink;
import io.lagsnap.sink.api.SinkContext;
import io.lagsnap.sink.api.SinkProvider;
import io.lagsnap.sink.api.config.SinkConfig;
import java.util.Set;

/** {@code type = "stdout"}: {@code format} "table" (default), "json" or "prometheus". */
public final class StdoutSinkProvider implements SinkProvider {
    @Override
    public String type() {
        return "stdout";
    }

    @Override
    public Sink create(SinkConfig config, SinkContext context) {
        config.requireOnlyKeys(Set.of("format"));
        String format = config.choice("format", "table", Set.of("table", "json", "prometheus"));
        return new StdoutSink(OutputFormat.parse(format), System.out);
    }
}
