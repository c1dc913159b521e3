package io.lagsnap.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.lagsnap.core.config.ConfigLoader;
import io.lagsnap.core.config.LagsnapConfig;
import io.lagsnap.core.report.RunReport;
import io.lagsnap.core.run.Runner;
import io.lagsnap.sink.api.Deadline;
import io.lagsnap.sink.api.model.Shard;
import io.lagsnap.testkit.DemoWorkload;
import io.lagsnap.testkit.KafkaBrokerExtension;
import io.lagsnap.testkit.Promtool;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shipped Grafana dashboard and Prometheus alert rules (../monitoring from this module) against what lagsnap
 * really emits: every metric they name comes out of a real run on a real broker (or is the Pushgateway's own), the
 * rules pass promtool, and the alerts fire on the series lagsnap wrote.
 */
class MonitoringTest {
    @RegisterExtension
    static final KafkaBrokerExtension KAFKA = KafkaBrokerExtension.single(DemoWorkload.BROKER);
    static final Path MONITORING = Path.of("..", "monitoring");
    static final Path DASHBOARD = MONITORING.resolve("grafana/lagsnap-dashboard.json");
    static final Path RULES = MONITORING.resolve("prometheus/lagsnap-alerts.yml");
    /** What the Pushgateway adds per group: how a missing or rejected run shows. */
    static final Set<String> PUSHGATEWAY_METRICS = Set.of("push_time_seconds", "push_failure_time_seconds");
    private static final Pattern SERIES = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{(.*)})? (\\S+)$");
    private static final Pattern LABEL = Pattern.compile("(\\w+)=\"((?:\\\\.|[^\"\\\\])*)\"");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final YAMLMapper YAML = new YAMLMapper();

    record Series(String name, Map<String, String> labels) {
        /** As the Pushgateway serves it: with the grouping key's job label. */
        String pushed() {
            Map<String, String> all = new TreeMap<>(labels);
            all.put("job", "lagsnap");
            StringBuilder b = new StringBuilder(name).append('{');
            all.forEach((k, v) -> b.append(b.charAt(b.length() - 1) == '{' ? "" : ",").append(k).append("=\"")
                    .append(v.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n")).append('"'));
            return b.append('}').toString();
        }
    }

    @TempDir
    static Path dir;
    static Path exposition;
    /** What a run at partition granularity emitted: every series the dashboard may show. */
    static List<Series> emitted;
    /** What a run at the default granularity ("topic") emitted: what the alert rules may rely on. */
    static List<Series> emittedByDefault;

    @BeforeAll
    static void realRuns() throws Exception {
        DemoWorkload.buildWithMonitoringCases(KAFKA.broker(), System.currentTimeMillis());
        exposition = dir.resolve("lag.prom");
        emitted = run("[exporter]\ngranularity = \"partition\"", exposition);
        // the default granularity, keeping a trend state: the second run has a trend window
        String state = "[run]\nstate = \"" + dir.resolve("state").toUri() + "\"";
        run(state, dir.resolve("lag-default.prom"));
        emittedByDefault = run(state, dir.resolve("lag-default.prom"));
    }

    private static List<Series> run(String keys, Path file) throws Exception {
        LagsnapConfig config = new ConfigLoader(Map.<String, String>of()::get).parse("""
                %s
                [[clusters]]
                name = "local"
                bootstrap_servers = "%s"
                [[sinks]]
                type = "file"
                name = "lag"
                format = "prometheus"
                path = "%s"
                """.formatted(keys, KAFKA.broker().bootstrapServers(), file), "test.toml");
        RunReport report = Runner.standard().run(config, Deadline.after(Duration.ofSeconds(60)), Shard.ALL);
        assertThat(report.exitCode()).isEqualTo(RunReport.EXIT_OK);
        List<Series> series = new ArrayList<>();
        for (String line : Files.readAllLines(file)) {
            if (!line.startsWith("#") && !line.isBlank()) {
                Matcher m = SERIES.matcher(line);
                assertThat(m.matches()).as(line).isTrue();
                Map<String, String> labels = new LinkedHashMap<>();
                Matcher l = LABEL.matcher(m.group(3) == null ? "" : m.group(3));
                while (l.find()) {
                    labels.put(l.group(1), l.group(2).replace("\\\"", "\"").replace("\\n", "\n")
                            .replace("\\\\", "\\"));
                }
                series.add(new Series(m.group(1), labels));
            }
        }
        return series;
    }

    private static Set<String> emittedNames(List<Series> series) {
        Set<String> names = new TreeSet<>(PUSHGATEWAY_METRICS);
        series.forEach(s -> names.add(s.name()));
        return names;
    }

    /** A series of the default-granularity run. */
    private static Series series(String name, Map<String, String> having) {
        return emittedByDefault.stream()
                .filter(s -> s.name().equals(name) && s.labels().entrySet().containsAll(having.entrySet()))
                .findFirst().orElseThrow(() -> new AssertionError("lagsnap emitted no " + name + having));
    }

    // ---- the dashboard

    private static List<JsonNode> panels(JsonNode dashboard) {
        List<JsonNode> out = new ArrayList<>();
        for (JsonNode p : dashboard.get("panels")) {
            out.add(p);
            p.path("panels").forEach(out::add);
        }
        return out;
    }

    private static List<String> dashboardExpressions(JsonNode dashboard) {
        List<String> exprs = new ArrayList<>();
        for (JsonNode p : panels(dashboard)) {
            p.path("targets").forEach(t -> exprs.add(t.get("expr").asText()));
        }
        return exprs;
    }

    @Test
    void everyMetricTheDashboardUsesIsOneLagsnapEmits() throws Exception {
        JsonNode dashboard = JSON.readTree(DASHBOARD.toFile());
        Set<String> used = new TreeSet<>();
        dashboardExpressions(dashboard).forEach(e -> used.addAll(PromQlNames.of(e)));
        for (JsonNode v : dashboard.get("templating").get("list")) {
            used.addAll(PromQlNames.ofVariableQuery(v.get("query").get("query").asText()));
        }

        // the partition-granularity run, and the run with a trend state for the trend panels
        Set<String> names = emittedNames(emitted);
        names.addAll(emittedNames(emittedByDefault));
        assertThat(names).containsAll(used);
        // what the dashboard is for: lag and time lag by group, topic and partition, retention and data loss, trends,
        // run duration and phases, snapshot age
        assertThat(used).contains("kafka_consumergroup_group_max_lag_seconds", "kafka_consumergroup_group_sum_lag",
                "kafka_consumergroup_group_topic_sum_lag", "kafka_consumergroup_group_lag",
                "kafka_consumergroup_group_lag_seconds", "kafka_consumergroup_group_lag_retention_ratio",
                "kafka_consumergroup_group_messages_lost", "kafka_consumergroup_group_status",
                "kafka_consumergroup_group_catchup_eta_seconds", "kafka_consumergroup_group_consume_rate",
                "kafka_consumergroup_group_produce_rate", "lagsnap_run_duration_seconds",
                "lagsnap_phase_duration_seconds", "push_time_seconds", "lagsnap_sink_delivered");
    }

    @Test
    void everyDashboardQueryIsValidPromQl() throws Exception {
        List<String> exprs = dashboardExpressions(JSON.readTree(DASHBOARD.toFile()));
        List<Map<String, String>> rules = new ArrayList<>();
        for (int i = 0; i < exprs.size(); i++) {
            // Grafana's variables, as Grafana substitutes them for "All" and a dashboard range
            String promql = exprs.get(i).replace("$job", ".*").replace("$cluster", ".*").replace("$group", ".*")
                    .replace("$__range", "6h");
            assertThat(promql).as(exprs.get(i)).doesNotContain("$");
            rules.add(Map.of("record", "dashboard:query_" + i, "expr", promql));
        }
        Path file = dir.resolve("dashboard-queries.yml");
        YAML.writeValue(file.toFile(), Map.of("groups", List.of(Map.of("name", "dashboard", "rules", rules))));

        Promtool.Result check = Promtool.run(null, "check", "rules", file.toString());

        assertThat(check.exitCode()).as(check.output()).isZero();
        assertThat(check.output()).contains("SUCCESS: " + exprs.size() + " rules found");
    }

    @Test
    void theDashboardImportsWithAPrometheusDataSourceOfTheUsersChoice() throws Exception {
        JsonNode dashboard = JSON.readTree(DASHBOARD.toFile());
        assertThat(dashboard.get("__inputs")).singleElement().satisfies(i -> {
            assertThat(i.get("name").asText()).isEqualTo("DS_PROMETHEUS");
            assertThat(i.get("pluginId").asText()).isEqualTo("prometheus");
        });
        assertThat(dashboard.get("uid").asText()).isEqualTo("lagsnap");
        Set<Integer> ids = new HashSet<>();
        for (JsonNode p : panels(dashboard)) {
            assertThat(ids.add(p.get("id").asInt())).as("unique panel id " + p.get("id")).isTrue();
            JsonNode grid = p.get("gridPos");
            assertThat(grid.get("x").asInt() + grid.get("w").asInt()).as(p.get("title").asText()).isLessThanOrEqualTo(24);
            if (!p.get("type").asText().equals("row")) {
                assertThat(p.get("datasource").get("uid").asText()).isEqualTo("${DS_PROMETHEUS}");
                p.get("targets").forEach(t ->
                        assertThat(t.get("datasource").get("uid").asText()).isEqualTo("${DS_PROMETHEUS}"));
            }
        }
        for (JsonNode v : dashboard.get("templating").get("list")) {
            assertThat(v.get("datasource").get("uid").asText()).isEqualTo("${DS_PROMETHEUS}");
        }
    }

    // ---- the alert rules

    @Test
    void everyMetricTheAlertRulesUseIsOneLagsnapEmits() throws Exception {
        Set<String> used = new TreeSet<>();
        Set<String> alerts = new TreeSet<>();
        for (JsonNode group : YAML.readTree(RULES.toFile()).get("groups")) {
            for (JsonNode rule : group.get("rules")) {
                alerts.add(rule.get("alert").asText());
                used.addAll(PromQlNames.of(rule.get("expr").asText()));
            }
        }
        assertThat(emittedNames(emittedByDefault)).containsAll(used);
        assertThat(alerts).containsExactlyInAnyOrder("KafkaConsumerTimeLagHigh", "KafkaConsumerGroupStuck",
                "KafkaConsumerCatchUpSlow", "KafkaConsumerLagNearRetention",
                "KafkaConsumerMessagesLost",
                "LagsnapSnapshotMissing", "LagsnapPushRejected", "LagsnapClusterDown", "LagsnapSinkFailing");
    }

    @Test
    void promtoolAcceptsTheAlertRules() throws Exception {
        Promtool.Result check = Promtool.run(null, "check", "rules", RULES.toString());

        assertThat(check.exitCode()).as(check.output()).isZero();
        assertThat(check.output()).contains("SUCCESS: 9 rules found");
    }

    /**
     * promtool's rule unit tests, fed with series exactly as a run at the default granularity emitted them (names
     * and labels, plus the Pushgateway's job label) and values chosen to cross each threshold: each alert fires when
     * it should and not before, and stays silent on a healthy series.
     */
    @Test
    void theAlertsFireOnTheSeriesLagsnapEmitsAtTheDefaultGranularity() throws Exception {
        // the archiver committed below clickstream's log start (ratio over 100 %, messages lost); billing is fine
        Series lossy = series("kafka_consumergroup_group_topic_max_lag_retention_ratio",
                Map.of("group", "archiver", "topic", "clickstream"));
        Series healthy = series("kafka_consumergroup_group_topic_max_lag_retention_ratio",
                Map.of("group", "billing", "topic", "orders"));
        Series lost = series("kafka_consumergroup_group_topic_messages_lost",
                Map.of("group", "archiver", "topic", "clickstream"));
        Series notLost = series("kafka_consumergroup_group_topic_messages_lost",
                Map.of("group", "billing", "topic", "orders"));
        Series slow = series("kafka_consumergroup_group_max_lag_seconds", Map.of("group", "billing"));
        Series fast = series("kafka_consumergroup_group_max_lag_seconds", Map.of("group", "archiver"));
        Series stuck = series("kafka_consumergroup_group_status", Map.of("group", "billing"));
        Series moving = series("kafka_consumergroup_group_status", Map.of("group", "archiver"));
        Series slowCatchUp = series("kafka_consumergroup_group_catchup_eta_seconds", Map.of("group", "billing"));
        Series quickCatchUp = series("kafka_consumergroup_group_catchup_eta_seconds", Map.of("group", "archiver"));
        Series up = series("kafka_lag_exporter_up", Map.of("cluster_name", "local"));
        Series sink = series("lagsnap_sink_delivered", Map.of("sink", "lag"));
        // the Pushgateway's own series for this cluster's group
        Series pushed = new Series("push_time_seconds", Map.of("cluster_name", "local"));
        Series failed = new Series("push_failure_time_seconds", Map.of("cluster_name", "local"));

        List<Map<String, Object>> input = List.of(
                input(lossy, "117x10"), input(healthy, "40x10"), input(lost, "50x10"), input(notLost, "0x10"),
                input(up, "1 1 0 0"),
                // behind by 100 s for 3 minutes, then by 400 s; the other group stays 20 s behind
                input(slow, "100x2 400x10"), input(fast, "20x12"),
                // STALL (3) from minute 2 on; the other group stays OK (0)
                input(stuck, "0x1 3x10"), input(moving, "0x12"),
                // 10 minutes to catch up, then 2 hours from minute 2 on; the other keeps 60 s
                input(slowCatchUp, "600x1 7200x20"), input(quickCatchUp, "60x22"),
                input(sink, "1 0x20"),
                // last pushed at t=0, and every push since (one a minute) rejected
                input(pushed, "0x20"), input(failed, "0+60x20"));
        List<Map<String, Object>> expected = new ArrayList<>();
        Map<String, String> rules = annotationsByAlert();
        expected.add(expect("KafkaConsumerTimeLagHigh", "7m", rules));
        expected.add(expect("KafkaConsumerTimeLagHigh", "8m", rules, fired(slow, "warning", 400)));
        expected.add(expect("KafkaConsumerGroupStuck", "6m", rules));
        expected.add(expect("KafkaConsumerGroupStuck", "7m", rules, fired(stuck, "warning", 3)));
        expected.add(expect("KafkaConsumerCatchUpSlow", "16m", rules));
        expected.add(expect("KafkaConsumerCatchUpSlow", "17m", rules, fired(slowCatchUp, "warning", 7200)));
        expected.add(expect("KafkaConsumerLagNearRetention", "4m", rules));
        expected.add(expect("KafkaConsumerLagNearRetention", "6m", rules, fired(lossy, "warning", 117)));
        expected.add(expect("KafkaConsumerMessagesLost", "1m", rules, fired(lost, "critical", 50)));
        expected.add(expect("LagsnapClusterDown", "1m", rules));
        expected.add(expect("LagsnapClusterDown", "2m", rules, fired(up, "critical", 0)));
        expected.add(expect("LagsnapSinkFailing", "3m", rules));
        expected.add(expect("LagsnapSinkFailing", "4m", rules, fired(sink, "warning", 0)));
        expected.add(expect("LagsnapSnapshotMissing", "3m", rules));
        expected.add(expect("LagsnapSnapshotMissing", "4m", rules, fired(pushed, "critical", 240)));
        expected.add(expect("LagsnapPushRejected", "0m", rules));
        expected.add(expect("LagsnapPushRejected", "1m", rules, fired(failed, "critical", 60)));
        Path tests = dir.resolve("alerts-test.yml");
        YAML.writeValue(tests.toFile(), Map.of(
                "rule_files", List.of(RULES.toAbsolutePath().normalize().toString()),
                "evaluation_interval", "1m",
                "tests", List.of(Map.of("interval", "1m", "input_series", input, "alert_rule_test", expected))));

        Promtool.Result result = Promtool.run(null, "test", "rules", tests.toString());

        assertThat(result.exitCode()).as(result.output()).isZero();
        assertThat(result.output()).contains("SUCCESS");
    }

    @Test
    void promtoolFindsNothingToLintInLagsnapsOwnMetrics() throws Exception {
        Promtool.Result lint = Promtool.run(exposition, "check", "metrics");

        assertThat(emitted).anySatisfy(s -> assertThat(s.name()).startsWith("lagsnap_"));
        assertThat(lint.output().lines().filter(l -> l.contains("lagsnap_")).toList()).isEmpty();
    }

    private static Map<String, Object> input(Series s, String values) {
        return Map.of("series", s.pushed(), "values", values);
    }

    private record Fired(Series series, String severity, long value) {
    }

    private static Fired fired(Series series, String severity, long value) {
        return new Fired(series, severity, value);
    }

    private static Map<String, Object> expect(String alert, String at, Map<String, String> rules, Fired... fired) {
        List<Map<String, Object>> alerts = new ArrayList<>();
        for (Fired f : fired) {
            Map<String, String> labels = new TreeMap<>(f.series().labels());
            labels.put("job", "lagsnap");
            labels.put("severity", f.severity());
            Map<String, String> annotations = new TreeMap<>();
            JsonNode templates;
            try {
                templates = JSON.readTree(rules.get(alert));
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
            templates.properties().forEach(e -> annotations.put(e.getKey(), expand(e.getValue().asText(), labels,
                    f.value())));
            alerts.add(Map.of("exp_labels", labels, "exp_annotations", annotations));
        }
        return Map.of("eval_time", at, "alertname", alert, "exp_alerts", alerts);
    }

    /** Each alert's annotation templates, as JSON text. */
    private static Map<String, String> annotationsByAlert() throws Exception {
        Map<String, String> out = new TreeMap<>();
        for (JsonNode group : YAML.readTree(RULES.toFile()).get("groups")) {
            for (JsonNode rule : group.get("rules")) {
                out.put(rule.get("alert").asText(), rule.get("annotations").toString());
            }
        }
        return out;
    }

    /**
     * Prometheus's template expansion for what the rules use: {@code {{ $labels.x }}} and
     * {@code {{ $value | humanize }}}, which prints a whole number below 1000 as it is and one below a million in
     * thousands with Go's %.4g and a "k" (7200 is "7.2k").
     */
    private static String expand(String template, Map<String, String> labels, long value) {
        assertThat(value).isBetween(0L, 999_999L);
        String humanized = value < 1000 ? Long.toString(value)
                : new java.math.BigDecimal(value / 1000.0).round(new java.math.MathContext(4)).stripTrailingZeros()
                        .toPlainString() + "k";
        String out = Pattern.compile("\\{\\{ \\$labels\\.(\\w+) }}").matcher(template)
                .replaceAll(m -> Matcher.quoteReplacement(labels.getOrDefault(m.group(1), "")))
                .replace("{{ $value | humanize }}", humanized);
        assertThat(out).as("a template this test cannot expand").doesNotContain("{{");
        return out;
    }
}
