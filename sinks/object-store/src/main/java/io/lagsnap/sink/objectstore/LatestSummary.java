package io.lagsnap.sink.objectstore;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.lagsnap.sink.api.model.ClusterSnapshot;
import io.lagsnap.sink.api.model.GroupLag;

/**
 * {@code latest.json}: the newest summary of one cluster, per group its max lag and max lag seconds, and the key
 * of the history object it was taken from.
 */
final class LatestSummary {
    private static final ObjectMapper JSON = new ObjectMapper();

    private LatestSummary() {
    }

    static byte[] json(ClusterSnapshot cluster, String runId, String historyKey) {
        ObjectNode root = JSON.createObjectNode();
        root.put("cluster", cluster.name());
        root.put("snapshot_time", cluster.time().toString());
        root.put("run_id", runId);
        root.put("partial", cluster.partial());
        root.put("history_key", historyKey);
        ArrayNode groups = root.putArray("groups");
        for (GroupLag g : cluster.groups()) {
            ObjectNode n = groups.addObject();
            n.put("group", g.group());
            n.put("group_state", g.state().displayName());
            n.put("max_lag", g.maxLag());
            n.put("max_lag_seconds", g.maxLagSeconds());
        }
        try {
            return JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(root);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("a tree of strings and numbers always serializes", e);
        }
    }
}
