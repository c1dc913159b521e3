package io.lagsnap.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class ExtraListenerTest {
    @RegisterExtension
    static final KafkaBrokerExtension KAFKA = KafkaBrokerExtension.single(Map.of(
            "listeners", "EXTERNAL://localhost:0,CONTROLLER://localhost:0,SECOND://localhost:0",
            "listener.security.protocol.map", "EXTERNAL:PLAINTEXT,CONTROLLER:PLAINTEXT,SECOND:PLAINTEXT"));

    @Test
    void clientsReachTheBrokerThroughAnAddedListener() throws Exception {
        String second = KAFKA.broker().bootstrapServers("SECOND");

        assertThat(second).isNotEqualTo(KAFKA.broker().bootstrapServers());
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", second))) {
            assertThat(admin.describeCluster().nodes().get()).hasSize(1);
        }
    }
}
