package io.lagsnap.it.security;

import io.lagsnap.testkit.PemCa;
import static org.assertj.core.api.Assertions.assertThat;

import io.lagsnap.core.config.ConfigLoader;
import io.lagsnap.core.config.LagsnapConfig;
import io.lagsnap.core.kafka.KafkaCollector;
import io.lagsnap.core.run.Runner;
import io.lagsnap.sink.api.Deadline;
import io.lagsnap.sink.api.model.ClusterSnapshot;
import io.lagsnap.sink.api.model.ErrorKind;
import io.lagsnap.sink.api.model.GroupLag;
import io.lagsnap.sink.api.model.ItemError;
import io.lagsnap.sink.api.model.PartitionLag;
import io.lagsnap.sink.api.model.Phase;
import io.lagsnap.sink.api.model.Shard;
import io.lagsnap.testkit.KafkaBroker;
import io.lagsnap.testkit.KafkaBrokerExtension;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.resource.ResourceType;
import org.assertj.core.groups.Tuple;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * lagsnap against a secured broker, configured only through {@code consumer_properties}: each way in (SCRAM over
 * TLS, mutual TLS, OAUTHBEARER) gets the full snapshot holding nothing but the ACLs the README documents, and
 * taking one of those ACLs away loses exactly what it is documented for.
 */
class AuthenticatedCollectionTest {
    private static final PemCa CA = PemCa.get();

    @RegisterExtension
    static final KafkaBrokerExtension KAFKA = KafkaBrokerExtension.single(SecureBroker.serverProps(CA));

    private static final long NOW = System.currentTimeMillis();
    private static final String SCRAM_JAAS = "org.apache.kafka.common.security.scram.ScramLoginModule required "
            + "username=\"%s\" password=\"%s\";";

    /**
     * sec-t: two partitions of ten records, record i written at NOW - (10 - i) s; sec-c: compacted, one partition
     * of ten records. The group committed offset 4 everywhere.
     */
    @BeforeAll
    static void workload() {
        KafkaBroker broker = KAFKA.broker();
        var scenario = broker.scenario().topic("sec-t", 2).compactedTopic("sec-c", 1);
        Map<TopicPartition, Long> offsets = new HashMap<>();
        for (TopicPartition tp : List.of(new TopicPartition("sec-t", 0), new TopicPartition("sec-t", 1),
                new TopicPartition("sec-c", 0))) {
            if (tp.topic().equals("sec-c")) {
                scenario.produceKeyed("sec-c", 0, 10, i -> "k" + i, i -> NOW - (10 - i) * 1_000L);
            } else {
                scenario.produce(tp.topic(), tp.partition(), 10, i -> NOW - (10 - i) * 1_000L);
            }
            offsets.put(tp, 4L);
        }
        scenario.commit("sec-g", offsets);
    }

    private static ClusterSnapshot collect(String listener, Map<String, String> consumerProperties) {
        LagsnapConfig config = config(listener, consumerProperties);
        return new KafkaCollector(config.clusters().get(0), config.exporter(), Shard.ALL)
                .collect(Deadline.after(Duration.ofSeconds(30)));
    }

    private static LagsnapConfig config(String listener, Map<String, String> consumerProperties) {
        return config(listener, consumerProperties, "");
    }

    /** With {@code extraToml} (more tables of the cluster) after its consumer_properties. */
    private static LagsnapConfig config(String listener, Map<String, String> consumerProperties, String extraToml) {
        StringBuilder toml = new StringBuilder("""
                [exporter]
                granularity = "partition"
                [exporter.performance]
                kafka_timeout = "10s"
                [[clusters]]
                name = "secured"
                bootstrap_servers = "%s"
                group_whitelist = ["^sec-"]
                [clusters.consumer_properties]
                """.formatted(KAFKA.broker().bootstrapServers(listener)));
        // TOML literal strings: JAAS values hold double quotes
        new TreeMap<>(consumerProperties).forEach((k, v) -> toml.append('"').append(k).append("\" = '").append(v)
                .append("'\n"));
        return new ConfigLoader(Map.<String, String>of()::get).parse(toml + extraToml, "secure.toml");
    }

    private static Map<String, String> scram(String user, String password) {
        Map<String, String> p = new HashMap<>(SecureBroker.trusting(CA));
        p.put("security.protocol", "SASL_SSL");
        p.put("sasl.mechanism", "SCRAM-SHA-512");
        p.put("sasl.jaas.config", SCRAM_JAAS.formatted(user, password));
        return p;
    }

    /** Every row with its exact lag, time lag sampled from the record at the committed offset, compaction seen. */
    private static void assertFullSnapshot(ClusterSnapshot snap) {
        assertThat(snap.up()).as("up: %s", snap.error()).isTrue();
        assertThat(snap.errors()).isEmpty();
        assertThat(snap.partial()).isFalse();
        assertThat(snap.rows()).extracting(PartitionLag::topic, PartitionLag::partition, PartitionLag::lag,
                        PartitionLag::sampledOffset, PartitionLag::compactionDetected)
                .containsExactly(Tuple.tuple("sec-c", 0, 6L, 4L, true), Tuple.tuple("sec-t", 0, 6L, 4L, false),
                        Tuple.tuple("sec-t", 1, 6L, 4L, false));
        assertThat(snap.rows()).allSatisfy(row -> {
            assertThat(row.sampledTimestamp().toEpochMilli()).isEqualTo(NOW - 6_000L);
            assertThat(row.lagSeconds()).isGreaterThanOrEqualTo(6.0);
        });
    }

    @Test
    void scramSha512OverTlsCollectsTheFullSnapshot() throws Exception {
        SecureBroker.scramUser(KAFKA.broker(), "lagsnap-scram", "scram-pw-4711");
        SecureBroker.grant(KAFKA.broker(), "User:lagsnap-scram", SecureBroker.DOCUMENTED_ACLS);

        assertFullSnapshot(collect(SecureBroker.SCRAM, scram("lagsnap-scram", "scram-pw-4711")));
    }

    @Test
    void mutualTlsCollectsTheFullSnapshot() throws Exception {
        SecureBroker.grant(KAFKA.broker(), "User:" + PemCa.CLIENT_DN, SecureBroker.DOCUMENTED_ACLS);
        Map<String, String> p = new HashMap<>(SecureBroker.trusting(CA));
        p.put("security.protocol", "SSL");
        p.put("ssl.keystore.type", "PKCS12");
        p.put("ssl.keystore.location", CA.clientKeystore().toString());
        p.put("ssl.keystore.password", CA.storePassword());
        p.put("ssl.key.password", CA.storePassword());

        assertFullSnapshot(collect(SecureBroker.MTLS, p));
    }

    @Test
    void oauthbearerCollectsTheFullSnapshot() throws Exception {
        SecureBroker.grant(KAFKA.broker(), "User:lagsnap-oauth", SecureBroker.DOCUMENTED_ACLS);
        Map<String, String> p = Map.of("security.protocol", "SASL_PLAINTEXT", "sasl.mechanism", "OAUTHBEARER",
                // Kafka's unsecured token: the same client config takes a real provider's login callback handler
                "sasl.jaas.config", "org.apache.kafka.common.security.oauthbearer.OAuthBearerLoginModule required "
                        + "unsecuredLoginStringClaim_sub=\"lagsnap-oauth\";");

        assertFullSnapshot(collect(SecureBroker.OAUTH, p));
    }

    @Test
    void aWrongScramPasswordTakesTheClusterDownNamingTheAuthenticationFailure() throws Exception {
        SecureBroker.scramUser(KAFKA.broker(), "lagsnap-wrongpw", "right-pw-4711");

        ClusterSnapshot snap = collect(SecureBroker.SCRAM, scram("lagsnap-wrongpw", "wrong-pw-4711"));

        assertThat(snap.up()).isFalse();
        assertThat(snap.error()).isEqualTo("cannot use the cluster within the 10.0 s connect budget: "
                + KAFKA.broker().bootstrapServers(SecureBroker.SCRAM) + ": SASL authentication failed with mechanism "
                + "SCRAM-SHA-512: Authentication failed during authentication due to invalid credentials with SASL "
                + "mechanism SCRAM-SHA-512");
    }

    /**
     * AWS MSK IAM needs AWS credentials and an MSK broker, neither of which exists here; what can be shown is that
     * consumer_properties alone build the client and bring it, over TLS, to offering AWS_MSK_IAM in the SASL
     * handshake, which only works when the library's SASL client was found and created.
     */
    @Test
    void awsMskIamIsWiredByConsumerPropertiesUpToTheSaslHandshake() {
        Map<String, String> p = new HashMap<>(SecureBroker.trusting(CA));
        p.put("security.protocol", "SASL_SSL");
        p.put("sasl.mechanism", "AWS_MSK_IAM");
        p.put("sasl.jaas.config", "software.amazon.msk.auth.iam.IAMLoginModule required;");
        p.put("sasl.client.callback.handler.class", "software.amazon.msk.auth.iam.IAMClientCallbackHandler");

        ClusterSnapshot snap = collect(SecureBroker.SCRAM, p);

        assertThat(snap.up()).isFalse();
        assertThat(snap.error()).isEqualTo("cannot use the cluster within the 10.0 s connect budget: "
                + KAFKA.broker().bootstrapServers(SecureBroker.SCRAM) + ": UnsupportedSaslMechanismException: Client "
                + "SASL mechanism 'AWS_MSK_IAM' not enabled in the server, enabled mechanisms are [SCRAM-SHA-512]");
    }

    /** klag-exporter's {@code [clusters.aws_msk_iam]} block gets as far as the consumer properties above. */
    @Test
    void klagExportersAwsMskIamBlockIsWiredUpToTheSaslHandshake() {
        Map<String, String> p = new HashMap<>(SecureBroker.trusting(CA));
        LagsnapConfig config = config(SecureBroker.SCRAM, p, "[clusters.aws_msk_iam]\nregion = \"eu-west-1\"\n");

        ClusterSnapshot snap = new KafkaCollector(config.clusters().get(0), config.exporter(), Shard.ALL)
                .collect(Deadline.after(Duration.ofSeconds(30)));

        assertThat(snap.up()).isFalse();
        assertThat(snap.error()).isEqualTo("cannot use the cluster within the 10.0 s connect budget: "
                + KAFKA.broker().bootstrapServers(SecureBroker.SCRAM) + ": UnsupportedSaslMechanismException: Client "
                + "SASL mechanism 'AWS_MSK_IAM' not enabled in the server, enabled mechanisms are [SCRAM-SHA-512]");
    }

    /** librdkafka's "none" turns host name verification off; passed on as is, every TLS handshake failed. */
    @Test
    void librdkafkasNoneForHostNameVerificationCollectsOverTls() throws Exception {
        SecureBroker.scramUser(KAFKA.broker(), "lagsnap-nohost", "nohost-pw-4711");
        SecureBroker.grant(KAFKA.broker(), "User:lagsnap-nohost", SecureBroker.DOCUMENTED_ACLS);
        Map<String, String> p = scram("lagsnap-nohost", "nohost-pw-4711");
        p.put("ssl.endpoint.identification.algorithm", "none");

        assertFullSnapshot(collect(SecureBroker.SCRAM, p));
    }

    /** A principal with every documented ACL but Read on topics. */
    private static Map<String, String> withoutRead() throws Exception {
        SecureBroker.scramUser(KAFKA.broker(), "lagsnap-noread", "noread-pw-4711");
        SecureBroker.grant(KAFKA.broker(), "User:lagsnap-noread", without(AclOperation.READ));
        return scram("lagsnap-noread", "noread-pw-4711");
    }

    @Test
    void withoutReadOnTopicsOnlyTheTimeLagIsLostAndTheErrorsNameTheTopics() throws Exception {
        ClusterSnapshot snap = collect(SecureBroker.SCRAM, withoutRead());

        assertThat(snap.up()).isTrue();
        assertThat(snap.rows()).extracting(PartitionLag::topic, PartitionLag::partition, PartitionLag::lag,
                        PartitionLag::lagSeconds, PartitionLag::compactionDetected)
                .containsExactly(Tuple.tuple("sec-c", 0, 6L, null, true), Tuple.tuple("sec-t", 0, 6L, null, false),
                        Tuple.tuple("sec-t", 1, 6L, null, false));
        assertThat(snap.errors()).extracting(ItemError::phase, ItemError::item, ItemError::kind)
                .containsExactlyInAnyOrder(Tuple.tuple(Phase.SAMPLING, "sec-c-0@4", ErrorKind.AUTHORIZATION),
                        Tuple.tuple(Phase.SAMPLING, "sec-t-0@4", ErrorKind.AUTHORIZATION),
                        Tuple.tuple(Phase.SAMPLING, "sec-t-1@4", ErrorKind.AUTHORIZATION));
        assertThat(snap.errors()).allSatisfy(e -> assertThat(e.message())
                .startsWith("TopicAuthorizationException: Not authorized to access topics: ["));
    }

    @Test
    void withoutReadOnTopicsTheRunLogsAWarningNamingTheTopics() throws Exception {
        LagsnapConfig config = config(SecureBroker.SCRAM, withoutRead());
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream original = System.err;
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        try {
            Runner.standard().run(config, Deadline.after(Duration.ofSeconds(30)), Shard.ALL);
        } finally {
            System.setErr(original);
        }

        // one fetch may be refused for both topics or one fetch for each: the warning lists each distinct message
        String prefix = "WARN Runner - cluster secured: 3 sampling errors (authorization): ";
        String warning = err.toString(StandardCharsets.UTF_8).lines().filter(l -> l.contains(prefix)).findFirst()
                .orElseThrow(() -> new AssertionError("no warning in:\n" + err));
        assertThat(warning.substring(warning.indexOf(prefix) + prefix.length())).isIn(
                "TopicAuthorizationException: Not authorized to access topics: [sec-c, sec-t]",
                "TopicAuthorizationException: Not authorized to access topics: [sec-t, sec-c]",
                "TopicAuthorizationException: Not authorized to access topics: [sec-c]; "
                        + "TopicAuthorizationException: Not authorized to access topics: [sec-t]",
                "TopicAuthorizationException: Not authorized to access topics: [sec-t]; "
                        + "TopicAuthorizationException: Not authorized to access topics: [sec-c]");
    }

    @Test
    void withoutDescribeConfigsOnlyCompactionDetectionIsLost() throws Exception {
        SecureBroker.scramUser(KAFKA.broker(), "lagsnap-noconfigs", "noconfigs-pw-4711");
        SecureBroker.grant(KAFKA.broker(), "User:lagsnap-noconfigs", without(AclOperation.DESCRIBE_CONFIGS));

        ClusterSnapshot snap = collect(SecureBroker.SCRAM, scram("lagsnap-noconfigs", "noconfigs-pw-4711"));

        assertThat(snap.up()).isTrue();
        assertThat(snap.rows()).extracting(PartitionLag::topic, PartitionLag::lag, PartitionLag::sampledOffset,
                        PartitionLag::compactionDetected)
                .containsExactly(Tuple.tuple("sec-c", 6L, 4L, false), Tuple.tuple("sec-t", 6L, 4L, false),
                        Tuple.tuple("sec-t", 6L, 4L, false));
        assertThat(snap.errors()).extracting(ItemError::phase, ItemError::item, ItemError::kind)
                .containsExactlyInAnyOrder(Tuple.tuple(Phase.CONFIGS, "sec-c", ErrorKind.AUTHORIZATION),
                        Tuple.tuple(Phase.CONFIGS, "sec-t", ErrorKind.AUTHORIZATION));
    }

    @Test
    void withoutDescribeOnGroupsKafkaListsNoGroupAtAll() throws Exception {
        SecureBroker.scramUser(KAFKA.broker(), "lagsnap-nogroups", "nogroups-pw-4711");
        List<SecureBroker.ResourceAcl> acls = new ArrayList<>(SecureBroker.DOCUMENTED_ACLS);
        acls.removeIf(a -> a.type() == ResourceType.GROUP);
        SecureBroker.grant(KAFKA.broker(), "User:lagsnap-nogroups", acls);

        ClusterSnapshot snap = collect(SecureBroker.SCRAM, scram("lagsnap-nogroups", "nogroups-pw-4711"));

        assertThat(snap.up()).isTrue();
        assertThat(snap.groups()).isEmpty();
        assertThat(snap.errors()).isEmpty();
    }

    /** Read implies Describe, so a topic is out of sight only with neither. */
    @Test
    void withNeitherDescribeNorReadOnTopicsNoRowIsLeft() throws Exception {
        SecureBroker.scramUser(KAFKA.broker(), "lagsnap-notopics", "notopics-pw-4711");
        SecureBroker.grant(KAFKA.broker(), "User:lagsnap-notopics", SecureBroker.DOCUMENTED_ACLS.stream()
                .filter(a -> a.type() == ResourceType.GROUP || a.operation() == AclOperation.DESCRIBE_CONFIGS)
                .toList());

        ClusterSnapshot snap = collect(SecureBroker.SCRAM, scram("lagsnap-notopics", "notopics-pw-4711"));

        assertThat(snap.up()).isTrue();
        // the group is seen, but Kafka leaves its offsets on topics the principal may not describe out of the answer
        assertThat(snap.groups()).extracting(GroupLag::group).containsExactly("sec-g");
        assertThat(snap.rows()).isEmpty();
        assertThat(snap.errors()).isEmpty();
    }

    private static List<SecureBroker.ResourceAcl> without(AclOperation operation) {
        List<SecureBroker.ResourceAcl> acls = new ArrayList<>(SecureBroker.DOCUMENTED_ACLS);
        acls.removeIf(a -> a.operation() == operation);
        return acls;
    }
}
