package io.lagsnap.terraform;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every resource and data source of terraform/modules and terraform/examples against the schema of the oldest and
 * the newest provider version its versions.tf allows (the pinned {@code @cdktf/provider-*} packages).
 */
class ProviderSchemaTest {
    /** npm alias of the package generated from the lowest and the highest allowed version, per provider. */
    static final Map<String, List<String>> PACKAGES = Map.of(
            "aws", List.of("provider-aws-min", "provider-aws-max"),
            "google", List.of("provider-google-min", "provider-google-max"),
            // backoff_limit_per_index (sharded Jobs) first appears in 2.38.0, the last version packaged
            "kubernetes", List.of("provider-kubernetes-max", "provider-kubernetes-max"));

    private static final Map<String, ProviderSchema> LOADED = new ConcurrentHashMap<>();
    private static HclTree tree;

    static ProviderSchema schema(String alias) {
        return LOADED.computeIfAbsent(alias, a -> ProviderSchema.load(HclTree.terraformDir(), a));
    }

    @BeforeAll
    static void parse() {
        tree = HclTree.load(HclTree.terraformDir());
    }

    static Stream<String> packages() {
        return PACKAGES.values().stream().flatMap(List::stream).distinct();
    }

    @ParameterizedTest
    @MethodSource("packages")
    void everyArgumentMatchesTheProviderSchema(String alias) {
        ProviderSchema schema = schema(alias);
        assertThat(schema.resources()).as("the schema of " + alias + " was read").hasSizeGreaterThan(50);
        List<String> problems = new SchemaChecks(tree).against(schema);
        assertThat(problems).as(alias + ":" + TerraformChecks.describe(problems.iterator())).isEmpty();
    }

    /** versions.tf allows exactly the range the packages cover: ">= MIN, <= MAX". */
    @ParameterizedTest
    @ValueSource(strings = {"aws", "google", "kubernetes"})
    void versionConstraintsEndAtTheCheckedVersions(String provider) {
        ProviderSchema min = schema(PACKAGES.get(provider).get(0));
        ProviderSchema max = schema(PACKAGES.get(provider).get(1));
        String expected = ">= " + min.providerVersion() + ", <= " + max.providerVersion();
        for (String dir : tree.moduleAndExampleDirs()) {
            JsonNode p = tree.files.get(dir + "/versions.tf").path("terraform").path(0).path("required_providers")
                    .path(0).path(provider);
            if (!p.isMissingNode()) {
                assertThat(p.path("version").asText()).as(dir + "/versions.tf " + provider).isEqualTo(expected);
            }
        }
    }

    @Test
    void brokenFixtureReportsEveryKindOfMistake() {
        HclTree broken = HclTree.load(HclTree.terraformDir().resolve("src/test/fixtures/schema"));
        List<String> problems = new SchemaChecks(broken).against(schema("provider-aws-max"));
        String at = " (aws 6.25.0)";
        assertThat(problems).containsExactlyInAnyOrder(
                ": aws_lambda_function.broken: unknown argument or block no_such_field" + at,
                ": aws_lambda_function.broken: unknown argument or block not_a_block" + at,
                ": aws_lambda_function.broken.logging_config: unknown argument or block not_logging" + at,
                ": aws_lambda_function.broken.vpc_config: unknown argument or block bogus" + at,
                ": aws_lambda_function.broken.vpc_config: missing required argument or block security_group_ids" + at,
                ": aws_lambda_function.broken: missing required argument or block role" + at,
                ": aws_scheduler_schedule.broken: missing required argument or block flexible_time_window" + at,
                ": aws_scheduler_schedule.broken.target: missing required argument or block role_arn" + at,
                ": aws_not_a_resource.broken: no such resource or data source" + at,
                "main.tf: data.aws_region.current.name is deprecated" + at + ", use region");
    }
}
