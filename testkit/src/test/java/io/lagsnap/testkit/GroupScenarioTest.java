package io.lagsnap.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.ListConsumerGroupOffsetsSpec;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.GroupState;
import org.apache.kafka.common.GroupType;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class GroupScenarioTest {
    @RegisterExtension
    static final KafkaBrokerExtension KAFKA = KafkaBrokerExtension.single();

    private KafkaBroker broker;
    private Admin admin;
    private Scenario scenario;

    @BeforeEach
    void newScenario() {
        broker = KAFKA.broker();
        admin = broker.admin();
        scenario = broker.scenario();
    }

    @AfterEach
    void closeScenario() {
        scenario.close();
    }

    @Test
    void commitsOffsetsAndTheGroupStaysEmpty() throws Exception {
        TopicPartition p0 = new TopicPartition("committed", 0);
        TopicPartition p1 = new TopicPartition("committed", 1);
        scenario.topic("committed", 2)
                .produce("committed", 0, 10, i -> 1_000L)
                .commit("single", "committed", 0, 7)
                .commit("bulk", Map.of(p0, 3L, p1, 99L));

        assertThat(offsetsOf("single")).isEqualTo(Map.of(p0, new OffsetAndMetadata(7)));
        assertThat(offsetsOf("bulk")).isEqualTo(Map.of(p0, new OffsetAndMetadata(3), p1, new OffsetAndMetadata(99)));
        assertThat(describe("bulk").groupState()).isEqualTo(GroupState.EMPTY);
    }

    @Test
    void commitsThousandsOfGroupsInSeconds() throws Exception {
        scenario.topic("many", 4);
        Map<String, Map<TopicPartition, Long>> offsets = new HashMap<>();
        Map<String, ListConsumerGroupOffsetsSpec> specs = new HashMap<>();
        for (int g = 0; g < 2_000; g++) {
            offsets.put("many-" + g, Map.of(new TopicPartition("many", g % 4), (long) g));
            specs.put("many-" + g, new ListConsumerGroupOffsetsSpec());
        }

        long start = System.nanoTime();
        scenario.commitGroups(offsets);
        long seconds = (System.nanoTime() - start) / 1_000_000_000L;

        assertThat(seconds).isLessThan(20);
        var committed = admin.listConsumerGroupOffsets(specs).all().get();
        assertThat(committed).hasSize(2_000);
        assertThat(committed.get("many-1234")).isEqualTo(Map.of(new TopicPartition("many", 2), new OffsetAndMetadata(1234)));
    }

    @Test
    void activeMemberMakesTheGroupStableAndNeverCommitsOrFetches() throws Exception {
        TopicPartition p0 = new TopicPartition("consumed", 0);
        TopicPartition p1 = new TopicPartition("consumed", 1);
        scenario.topic("consumed", 2)
                .produce("consumed", 0, 10, i -> 1_000L)
                .commit("live", "consumed", 0, 5)
                .activeMember("live", List.of("consumed"), Map.of("client.id", "lagsnap-member"));
        ActiveMember member = scenario.members().get(0);

        ConsumerGroupDescription group = describe("live");
        assertThat(group.groupState()).isEqualTo(GroupState.STABLE);
        assertThat(group.type()).isEqualTo(GroupType.CLASSIC);
        MemberDescription described = group.members().iterator().next();
        assertThat(described.clientId()).isEqualTo("lagsnap-member").isEqualTo(member.clientId());
        assertThat(described.consumerId()).isEqualTo(member.memberId()).isNotEmpty();
        assertThat(described.host()).contains("127.0.0.1");
        assertThat(described.assignment().topicPartitions()).isEqualTo(Set.of(p0, p1)).isEqualTo(member.assignment());

        Map<String, Long> before = broker.requestCounts();
        Await.sleep(1_000);
        assertThat(broker.requestCountsSince(before)).doesNotContainKeys("OffsetCommit", "Fetch", "OffsetFetch", "ListOffsets");
        assertThat(offsetsOf("live")).isEqualTo(Map.of(p0, new OffsetAndMetadata(5)));
    }

    @Test
    void twoMembersSplitThePartitions() throws Exception {
        scenario.topic("shared", 2)
                .activeMember("pair", "shared")
                .activeMember("pair", "shared");

        ConsumerGroupDescription group = describe("pair");
        assertThat(group.groupState()).isEqualTo(GroupState.STABLE);
        assertThat(group.members()).hasSize(2).allSatisfy(member ->
                assertThat(member.assignment().topicPartitions()).hasSize(1));
    }

    @Test
    void activeMemberCanUseTheConsumerProtocol() throws Exception {
        scenario.topic("kip848", 1)
                .activeMember("modern", List.of("kip848"), Map.of("group.protocol", "consumer"));

        ConsumerGroupDescription group = describe("modern");
        assertThat(group.type()).isEqualTo(GroupType.CONSUMER);
        assertThat(group.groupState()).isEqualTo(GroupState.STABLE);
        assertThat(group.members()).singleElement().satisfies(member ->
                assertThat(member.assignment().topicPartitions()).containsExactly(new TopicPartition("kip848", 0)));
    }

    @Test
    void closingMembersEmptiesTheGroup() throws Exception {
        Scenario other = broker.scenario().topic("leaving", 1).activeMember("leavers", "leaving");
        assertThat(describe("leavers").groupState()).isEqualTo(GroupState.STABLE);

        other.close();

        assertThat(describe("leavers").groupState()).isEqualTo(GroupState.EMPTY);
        assertThat(other.members()).noneMatch(ActiveMember::running);
    }

    @Test
    void aFailingMemberFailsTheStepAtOnce() {
        long start = System.nanoTime();

        assertThatThrownBy(() -> scenario.activeMember("broken", List.of("any"), Map.of("group.protocol", "nonsense")))
                .hasRootCauseInstanceOf(ConfigException.class);
        assertThat(System.nanoTime() - start).isLessThan(5_000_000_000L);
    }

    private Map<TopicPartition, OffsetAndMetadata> offsetsOf(String group) throws Exception {
        return admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get();
    }

    private ConsumerGroupDescription describe(String group) throws Exception {
        return admin.describeConsumerGroups(List.of(group)).all().get().get(group);
    }
}
