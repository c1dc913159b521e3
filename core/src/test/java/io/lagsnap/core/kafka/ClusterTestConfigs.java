package io.lagsnap.core.kafka;

import io.lagsnap.core.config.ConfigLoader;
import io.lagsnap.core.config.LagsnapConfig;
import java.util.Map;

/** Builds test configs from TOML, as users write them, so tests exercise the loader too. */
public final class ClusterTestConfigs {
    private ClusterTestConfigs() {
    }

    /** One cluster named "local" keeping only groups matching {@code groupRegex}, plus extra TOML. */
    public static LagsnapConfig config(String bootstrap, String groupRegex, String extraToml) {
        String toml = """
                [exporter]
                granularity = "partition"
                [exporter.performance]
                kafka_timeout = "10s"
                [[clusters]]
                name = "local"
                bootstrap_servers = "%s"
                group_whitelist = ["%s"]
                %s
                """.formatted(bootstrap, groupRegex.replace("\\", "\\\\"), extraToml);
        return new ConfigLoader(Map.<String, String>of()::get).parse(toml, "test.toml");
    }
}
