package io.lagsnap.core.sink.builtin;

import io.lagsnap.core.config.SinkConfig;
import io.lagsnap.core.format.OutputFormat;
import io.lagsnap.core.sink.Sink;
import io.lagsnap.core.sink.SinkContext;
import io.lagsnap.core.sink.SinkProvider;
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
