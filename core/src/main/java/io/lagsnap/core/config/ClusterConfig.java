package io.lagsnap.core.config;

import io.lagsnap.sink.api.KafkaCluster;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * One {@code [[clusters]]} entry. Filters use find semantics like klag-exporter's Rust regexes: a name is kept
 * when it matches any whitelist pattern and no blacklist pattern.
 */
public record ClusterConfig(
        String name,
        String bootstrapServers,
        List<Pattern> groupWhitelist,
        List<Pattern> groupBlacklist,
        List<Pattern> topicWhitelist,
        List<Pattern> topicBlacklist,
        Map<String, String> consumerProperties,
        Map<String, String> labels) {

    public ClusterConfig {
        groupWhitelist = List.copyOf(groupWhitelist);
        groupBlacklist = List.copyOf(groupBlacklist);
        topicWhitelist = List.copyOf(topicWhitelist);
        topicBlacklist = List.copyOf(topicBlacklist);
        consumerProperties = Map.copyOf(consumerProperties);
        labels = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(labels));
    }

    /** The cluster as a sink sees it. */
    public KafkaCluster kafkaCluster() {
        return new KafkaCluster(name, bootstrapServers, consumerProperties);
    }

    public boolean keepsGroup(String group) {
        return kept(group, groupWhitelist, groupBlacklist);
    }

    public boolean keepsTopic(String topic) {
        return kept(topic, topicWhitelist, topicBlacklist);
    }

    private static boolean kept(String name, List<Pattern> whitelist, List<Pattern> blacklist) {
        return whitelist.stream().anyMatch(p -> p.matcher(name).find())
                && blacklist.stream().noneMatch(p -> p.matcher(name).find());
    }
}
