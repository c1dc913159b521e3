package io.lagsnap.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.lagsnap.core.config.ClusterConfig;
import io.lagsnap.core.config.ConfigLoader;
import io.lagsnap.core.config.LagsnapConfig;
import io.lagsnap.core.run.Runner;
import io.lagsnap.core.sink.SinkRegistry;
import io.lagsnap.sink.api.config.SinkConfig;
import io.lagsnap.sink.api.model.Shard;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine;

/**
 * The Kubernetes manifests under cronjob/k8s/ and the Dockerfile agree with each other and with the CLI: the
 * scheduling and safety fields a one-shot CronJob needs, a config the real loader and sinks accept, container args
 * picocli parses, and sharding the CLI understands. (In package io.lagsnap.cli for the CLI's package-private parts.)
 */
class ManifestTest {
    private static final YAMLMapper YAML = new YAMLMapper();
    private static final Path K8S = Path.of("k8s");
    private static final Pattern ENV_REF = Pattern.compile("\\$\\{\\??([A-Za-z_][A-Za-z0-9_]*)");

    private final JsonNode configMap = read("configmap.yaml");
    private final JsonNode cronJob = read("cronjob.yaml");
    private final JsonNode sharded = read("cronjob-sharded.yaml");

    private static JsonNode read(String file) {
        try {
            return YAML.readTree(K8S.resolve(file).toFile());
        } catch (IOException e) {
            throw new AssertionError("cannot parse " + file, e);
        }
    }

    private static JsonNode jobSpec(JsonNode cronJob) {
        return cronJob.at("/spec/jobTemplate/spec");
    }

    private static JsonNode podSpec(JsonNode cronJob) {
        return jobSpec(cronJob).at("/template/spec");
    }

    private static JsonNode container(JsonNode cronJob) {
        JsonNode containers = podSpec(cronJob).get("containers");
        assertThat(containers).hasSize(1);
        return containers.get(0);
    }

    private static List<String> args(JsonNode cronJob) {
        List<String> args = new ArrayList<>();
        container(cronJob).get("args").forEach(a -> args.add(a.asText()));
        return args;
    }

    /** The container's environment: literal values, and "secret NAME/KEY" for Secret references. */
    private static Map<String, String> env(JsonNode cronJob) {
        Map<String, String> env = new LinkedHashMap<>();
        for (JsonNode e : container(cronJob).path("env")) {
            JsonNode secret = e.at("/valueFrom/secretKeyRef");
            env.put(e.get("name").asText(), secret.isMissingNode() ? e.get("value").asText()
                    : "secret " + secret.get("name").asText() + "/" + secret.get("key").asText());
        }
        return env;
    }

    private String configToml() {
        return configMap.at("/data/config.toml").asText();
    }

    /** The ConfigMap's config.toml as the CLI loads it in the pod (Secret values replaced by placeholders). */
    private LagsnapConfig loadedConfig() {
        Map<String, String> podEnv = new HashMap<>(env(cronJob));
        podEnv.replaceAll((k, v) -> v.startsWith("secret ") ? "placeholder for " + v : v);
        return new ConfigLoader(podEnv::get).parse(configToml(), "configmap.yaml:config.toml");
    }

    @Test
    void cronJobNeverOverlapsAndKeepsABoundedHistory() {
        assertThat(cronJob.get("apiVersion").asText()).isEqualTo("batch/v1");
        assertThat(cronJob.get("kind").asText()).isEqualTo("CronJob");
        JsonNode spec = cronJob.get("spec");
        assertThat(spec.get("concurrencyPolicy").asText()).isEqualTo("Forbid");
        assertThat(spec.get("startingDeadlineSeconds").asInt()).isEqualTo(30);
        assertThat(spec.get("successfulJobsHistoryLimit").asInt()).isEqualTo(1);
        assertThat(spec.get("failedJobsHistoryLimit").asInt()).isEqualTo(3);
        assertThat(jobSpec(cronJob).get("backoffLimit").asInt()).isZero();
        assertThat(podSpec(cronJob).get("restartPolicy").asText()).isEqualTo("Never");
    }

    @Test
    void jobDeadlineIsAboveTheRunDeadline() {
        long runDeadline = loadedConfig().run().deadline().toSeconds();

        assertThat(runDeadline).isEqualTo(50);
        assertThat(jobSpec(cronJob).get("activeDeadlineSeconds").asLong()).isEqualTo(90).isGreaterThan(runDeadline);
    }

    @Test
    void configMapConfigLoadsAndEverySinkBuilds() {
        LagsnapConfig config = loadedConfig();

        assertThat(config.warnings()).isEmpty();
        assertThat(config.clusters()).extracting(ClusterConfig::name).containsExactly("prod");
        assertThat(config.sinks()).extracting(SinkConfig::type).containsExactly("pushgateway");
        // builds every sink as `lagsnap validate` does, contacting nothing; throws on any bad key
        new Runner(SinkRegistry.load(), Map.<String, String>of()::get).validate(config, Shard.ALL);
    }

    @Test
    void everyVariableTheConfigReadsIsSetByTheContainerAndSecretsComeFromASecret() {
        Matcher refs = ENV_REF.matcher(configToml());
        List<String> referenced = new ArrayList<>();
        while (refs.find()) {
            referenced.add(refs.group(1));
        }

        assertThat(referenced).containsExactly("KAFKA_SASL_JAAS_CONFIG");
        assertThat(env(cronJob)).containsEntry("KAFKA_SASL_JAAS_CONFIG", "secret lagsnap-kafka/sasl.jaas.config");
    }

    @Test
    void containerArgsAreACommandLineTheCliAccepts() {
        List<String> args = args(cronJob);
        LagsnapCli cli = new LagsnapCli(Map.<String, String>of()::get, new PrintWriter(new StringWriter()));

        ParseResult parsed = new CommandLine(cli).parseArgs(args.toArray(String[]::new));

        assertThat(args).containsExactly("--config", "/etc/lagsnap/config.toml");
        assertThat(parsed.matchedOptionValue("--config", Path.of("unset"))).isEqualTo(Path.of("/etc/lagsnap/config.toml"));
        assertThat(parsed.unmatched()).isEmpty();
    }

    @Test
    void configPathIsTheMountedConfigMapKey() {
        Path config = Path.of(args(cronJob).get(1));
        JsonNode mount = single(container(cronJob).get("volumeMounts"), "mountPath", config.getParent().toString());
        JsonNode volume = single(podSpec(cronJob).get("volumes"), "name", mount.get("name").asText());

        assertThat(mount.get("readOnly").asBoolean()).isTrue();
        assertThat(volume.at("/configMap/name").asText()).isEqualTo(configMap.at("/metadata/name").asText());
        assertThat(configMap.get("data").has(config.getFileName().toString())).isTrue();
    }

    @Test
    void podRunsAsUid65532OnAReadOnlyRootFilesystemWithAWritableTmp() {
        JsonNode pod = podSpec(cronJob).get("securityContext");
        JsonNode own = container(cronJob).get("securityContext");
        JsonNode tmp = single(container(cronJob).get("volumeMounts"), "mountPath", "/tmp");

        assertThat(pod.get("runAsNonRoot").asBoolean()).isTrue();
        assertThat(pod.get("runAsUser").asInt()).isEqualTo(65532);
        assertThat(pod.get("runAsGroup").asInt()).isEqualTo(65532);
        assertThat(own.get("readOnlyRootFilesystem").asBoolean()).isTrue();
        assertThat(own.get("allowPrivilegeEscalation").asBoolean()).isFalse();
        assertThat(own.at("/capabilities/drop")).extracting(JsonNode::asText).containsExactly("ALL");
        assertThat(podSpec(cronJob).get("automountServiceAccountToken").asBoolean()).isFalse();
        assertThat(single(podSpec(cronJob).get("volumes"), "name", tmp.get("name").asText()).has("emptyDir")).isTrue();
    }

    @Test
    void containerHasResourceRequestsAndLimits() {
        JsonNode resources = container(cronJob).get("resources");

        assertThat(resources.get("requests").toString()).isEqualTo("{\"cpu\":\"250m\",\"memory\":\"384Mi\"}");
        assertThat(resources.get("limits").toString()).isEqualTo("{\"cpu\":\"1\",\"memory\":\"512Mi\"}");
    }

    @Test
    void shardedVariantIsAnIndexedJobWhoseShardCountMatchesItsCompletions() {
        JsonNode job = jobSpec(sharded);
        Map<String, String> env = new HashMap<>(env(sharded));

        assertThat(job.get("completionMode").asText()).isEqualTo("Indexed");
        assertThat(job.get("completions").asInt()).isEqualTo(4);
        assertThat(job.get("parallelism").asInt()).isEqualTo(4);
        // failures count per index: a Job-wide backoffLimit (0 in the plain manifest) would let one failing
        // shard fail the Job and terminate the shards still running
        assertThat(job.has("backoffLimit")).isFalse();
        assertThat(job.get("backoffLimitPerIndex").asInt()).isZero();
        assertThat(job.get("maxFailedIndexes").asInt()).isEqualTo(4);
        assertThat(env).containsEntry("LAGSNAP_SHARD_COUNT", "4");
        // Kubernetes gives the last pod JOB_COMPLETION_INDEX=3: the CLI must take it as shard 3 of 4
        env.put("JOB_COMPLETION_INDEX", "3");
        assertThat(LagsnapCli.shard(null, env::get)).isEqualTo(new Shard(3, 4));
        assertThat(args(sharded)).doesNotContain("--shard");
    }

    @Test
    void shardedVariantDiffersFromThePlainOneOnlyInSharding() {
        ObjectNode unsharded = sharded.deepCopy();
        ((ObjectNode) jobSpec(unsharded)).remove(List.of("completionMode", "completions", "parallelism",
                "backoffLimitPerIndex", "maxFailedIndexes"));
        ((ObjectNode) jobSpec(unsharded)).put("backoffLimit", 0);
        ArrayNode env = (ArrayNode) container(unsharded).get("env");
        env.remove(indexOf(env, "name", "LAGSNAP_SHARD_COUNT"));

        assertThat(unsharded).isEqualTo(cronJob);
    }

    @Test
    void imageRunsAsTheSameUserWithTheArgsOfTheManifests() throws IOException {
        List<List<DockerfileTest.Instruction>> stages = DockerfileTest.stages();
        List<DockerfileTest.Instruction> runtime = stages.get(stages.size() - 1);
        List<String> entrypoint = DockerfileTest.entrypoint();

        assertThat(DockerfileTest.all(runtime, "USER")).containsExactly("65532:65532");
        assertThat(entrypoint).startsWith("java").endsWith("-jar", "/opt/lagsnap/lagsnap.jar")
                .contains("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC");
        assertThat(List.of(new ObjectMapper().readValue(DockerfileTest.all(runtime, "CMD").get(0), String[].class)))
                .isEqualTo(args(cronJob));
    }

    private static JsonNode single(JsonNode array, String field, String value) {
        return array.get(indexOf(array, field, value));
    }

    private static int indexOf(JsonNode array, String field, String value) {
        for (int i = 0; i < array.size(); i++) {
            if (array.get(i).path(field).asText().equals(value)) {
                return i;
            }
        }
        throw new AssertionError("no element with " + field + " = " + value + " in " + array);
    }
}
