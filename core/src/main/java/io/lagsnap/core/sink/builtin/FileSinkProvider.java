package io.lagsnap.core.sink.builtin;

import io.lagsnap.core.format.OutputFormat;
import io.lagsnap.sink.api.Sink;
import io.lagsnap.sink.api.SinkContext;
import io.lagsnap.sink.api.SinkProvider;
import io.lagsnap.sink.api.config.SinkConfig;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.EnumSet;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * {@code type = "file"}: {@code path} (required), {@code format}: "json" (NDJSON rows, the default),
 * "prometheus", "metrics_json" (the JSON metric array) or "html" (the lag status page, a section per cluster), and
 * {@code mode}, the octal permissions of a new file such as "0640" (default: what the umask leaves of 0666).
 */
public final class FileSinkProvider implements SinkProvider {
    /** rw bits only: an executable snapshot makes no sense. */
    private static final Pattern OCTAL_MODE = Pattern.compile("0?[0246]{3}");

    @Override
    public String type() {
        return "file";
    }

    @Override
    public Sink create(SinkConfig config, SinkContext context) {
        config.requireOnlyKeys(Set.of("path", "format", "mode"));
        String path = config.requiredString("path");
        String format = config.choice("format", "json", Set.of("json", "prometheus", "metrics_json", "html"));
        return new FileSink(Path.of(path), OutputFormat.parse(format), mode(config));
    }

    private static Set<PosixFilePermission> mode(SinkConfig config) {
        String text = config.string("mode", null);
        if (text == null) {
            return null;
        }
        if (!OCTAL_MODE.matcher(text).matches()) {
            config.problem("mode", "\"" + text + "\" is not an octal file mode such as \"0640\" (read/write bits "
                    + "only)");
            return null;
        }
        int bits = Integer.parseInt(text, 8);
        Set<PosixFilePermission> out = EnumSet.noneOf(PosixFilePermission.class);
        PosixFilePermission[] order = {PosixFilePermission.OTHERS_EXECUTE, PosixFilePermission.OTHERS_WRITE,
                PosixFilePermission.OTHERS_READ, PosixFilePermission.GROUP_EXECUTE, PosixFilePermission.GROUP_WRITE,
                PosixFilePermission.GROUP_READ, PosixFilePermission.OWNER_EXECUTE, PosixFilePermission.OWNER_WRITE,
                PosixFilePermission.OWNER_READ};
        for (int i = 0; i < order.length; i++) {
            if ((bits & (1 << i)) != 0) {
                out.add(order[i]);
            }
        }
        return out;
    }
}
