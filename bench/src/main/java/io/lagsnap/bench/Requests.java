package io.lagsnap.bench;

import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The client requests among a broker's request counts. The in-process cluster also counts its own inter-node
 * traffic (broker heartbeats, the KRaft metadata log), and the broker counts each fetch twice: as "Fetch" and as
 * "FetchConsumer" or "FetchFollower". What remains is what the measured tool sent.
 */
final class Requests {
    private static final Set<String> NOT_FROM_CLIENTS = Set.of("Fetch", "FetchFollower", "BrokerHeartbeat",
            "BrokerRegistration", "ControllerRegistration", "Vote", "BeginQuorumEpoch", "EndQuorumEpoch",
            "DescribeQuorum", "FetchSnapshot", "AlterPartition", "AssignReplicasToDirs", "UpdateRaftVoter",
            "AddRaftVoter", "RemoveRaftVoter", "AllocateProducerIds", "UpdateFeatures");

    private Requests() {
    }

    static Map<String, Long> fromClients(Map<String, Long> counts) {
        Map<String, Long> out = new TreeMap<>();
        counts.forEach((api, n) -> {
            if (!NOT_FROM_CLIENTS.contains(api)) {
                out.put(api, n);
            }
        });
        return out;
    }
}
