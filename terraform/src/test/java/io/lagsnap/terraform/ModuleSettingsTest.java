package io.lagsnap.terraform;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** What the three modules grant, schedule and retry, read from their parsed HCL. */
class ModuleSettingsTest {
    private static final String AWS = "modules/aws-lambda";
    private static final String GCP = "modules/gcp-cloud-function";
    private static final String K8S = "modules/kubernetes-cronjob";
    private static final Pattern LOCAL_REF = Pattern.compile("\\$\\{local\\.(\\w+)}");
    private static TerraformChecks checks;

    @BeforeAll
    static void parse() {
        checks = new TerraformChecks(HclTree.load(HclTree.terraformDir()));
    }

    private static JsonNode resource(String dir, String id) {
        JsonNode r = checks.typed(dir, "resource").get(id);
        assertThat(r).as(dir + " declares " + id).isNotNull();
        return r;
    }

    /** Statements of the function's policy document by sid (dynamic ones by their content). */
    private static Map<String, JsonNode> statements() {
        JsonNode doc = checks.typed(AWS, "data").get("aws_iam_policy_document.function");
        Map<String, JsonNode> out = new LinkedHashMap<>();
        Expressions.blocks(doc, "statement").forEach(s -> out.put(s.path("sid").asText(), s));
        return out;
    }

    private static List<String> texts(JsonNode n) {
        List<String> out = new ArrayList<>();
        n.forEach(x -> out.add(x.asText()));
        return out;
    }

    @Test
    void gcsHistoryWriterMayReplaceLatestJsonAndIndexHtml() {
        // replacing an object needs storage.objects.delete; roles/storage.objectCreator lacks it (403 on run 2)
        JsonNode binding = resource(GCP, "google_storage_bucket_iam_member.history_writer");
        assertThat(binding.path("role").asText()).isEqualTo("roles/storage.objectUser");
        assertThat(binding.path("condition").path(0).path("expression").asText())
                .contains("objects/${var.history_prefix}/");
    }

    @Test
    void awsFunctionMayReadBackItsTrendStateAndLearnThatItIsMissing() {
        // the state is cluster=NAME/trend.json.gz (trend-shard-I-of-N.json.gz per shard) beside latest.json under
        // the history prefix; a first run needs
        // S3's 404 for a missing object, which S3 gives only with ListBucket on the bucket (else 403)
        Map<String, JsonNode> st = statements();
        assertThat(texts(st.get("TrendStateRead").path("actions"))).containsExactly("s3:GetObject");
        assertThat(texts(st.get("TrendStateRead").path("resources"))).containsExactly("${local.trend_state_arn}");
        assertThat(checks.locals(AWS).get("trend_state_arn").asText())
                .endsWith("/${var.history_prefix}/cluster=*/trend*.json.gz");
        assertThat(texts(st.get("TrendStateList").path("actions"))).containsExactly("s3:ListBucket");
        assertThat(texts(st.get("TrendStateList").path("resources"))).containsExactly("${local.history_bucket_arn}");
        assertThat(checks.locals(AWS).get("history_bucket_arn").asText())
                .isEqualTo("arn:${local.partition}:s3:::${coalesce(var.history_bucket_name, \"-\")}");
        // an SSE-KMS bucket: reading the state back needs Decrypt whatever the config delivery
        assertThat(texts(st.get("HistoryKms").path("actions"))).containsExactly("kms:GenerateDataKey", "kms:Decrypt");
    }

    /**
     * Every S3 request the function makes, as its role would be asked (keys as HistoryLayout and StateLocation
     * build them; the calls as ObjectStoreSink, S3Store, ObjectStateStore and S3ConfigReader make them), checked
     * against the S3 statements of the policy, and requests it never makes checked to be denied.
     */
    @Test
    void awsFunctionPolicyAllowsExactlyTheS3CallsTheFunctionMakes() {
        String dir = "lagsnap/cluster=prod%20eu/";
        String rows = dir + "dt=2024-05-01/hour=13/lagsnap-20240501T130502Z-0f3a.ndjson.gz";
        String rollup = dir + "rollup/dt=2024-05-01/hour=13/lagsnap-20240501T130502Z-0f3a.json.gz";
        Map<String, String> made = new LinkedHashMap<>();
        made.put("s3:PutObject " + rows, "history rows, If-None-Match: *");
        made.put("s3:GetObject " + rows, "rows read back after a 412 (VersionedObjects.holds)");
        made.put("s3:PutObject " + rollup, "group rollup, If-None-Match: *");
        made.put("s3:GetObject " + rollup, "rollup read back after a 412");
        made.put("s3:PutObject " + dir + "latest.json", "latest summary, replaced");
        made.put("s3:PutObject " + dir + "latest-shard-1-of-4.json", "a shard's latest summary");
        made.put("s3:PutObject " + dir + "index.html", "status page, replaced");
        made.put("s3:PutObject " + dir + "index-shard-1-of-4.html", "a shard's status page");
        made.put("s3:GetObject " + dir + "trend.json.gz", "trend state read, and read back after a 412/409");
        made.put("s3:PutObject " + dir + "trend.json.gz", "trend state, If-Match / If-None-Match");
        made.put("s3:GetObject " + dir + "trend-shard-1-of-4.json.gz", "a shard's own trend state");
        made.put("s3:PutObject " + dir + "trend-shard-1-of-4.json.gz", "a shard's own trend state");
        made.put("s3:ListBucket", "a missing trend state is a 404, not a 403");
        made.put("s3:GetObject lagsnap-config/snap/config.toml", "config_delivery = \"s3\"");
        List<String> never = List.of(
                "s3:GetObject " + dir + "latest.json", // replaced unconditionally, never read
                "s3:GetObject " + dir + "index.html",
                "s3:GetObject " + dir + "dt=2024-05-01/hour=13/someone-elses.csv",
                "s3:GetObject other/cluster=prod/trend.json.gz",
                "s3:GetObject lagsnap-other/cluster=prod/dt=2024-05-01/hour=13/lagsnap-x.ndjson.gz",
                "s3:PutObject other/cluster=prod/latest.json",
                "s3:PutObject lagsnap-config/snap/config.toml",
                "s3:DeleteObject " + dir + "latest.json");

        List<Grant> allowed = s3Grants();
        made.forEach((call, why) -> assertThat(allows(allowed, call)).as(call + " (" + why + ")").isTrue());
        never.forEach(call -> assertThat(allows(allowed, call)).as(call + " is never made").isFalse());
    }

    /** An action allowed on a resource ARN glob. */
    private record Grant(String action, String arn) {
    }

    /** Every S3 grant of the function's policy, interpolations resolved for bucket "b" and prefix "lagsnap". */
    private static List<Grant> s3Grants() {
        Map<String, JsonNode> locals = checks.locals(AWS);
        List<Grant> out = new ArrayList<>();
        statements().forEach((sid, st) -> {
            List<String> actions = texts(st.path("actions"));
            if (actions.stream().noneMatch(a -> a.startsWith("s3:"))) {
                return;
            }
            assertThat(st.has("condition")).as(sid + ": conditions are not evaluated here").isFalse();
            for (String resource : texts(st.path("resources"))) {
                var local = LOCAL_REF.matcher(resource);
                String arn = local.matches() ? locals.get(local.group(1)).asText() : resource;
                arn = arn.replace("${local.partition}", "aws")
                        .replace("${coalesce(var.history_bucket_name, \"-\")}", "b")
                        .replace("${var.history_prefix}", "lagsnap")
                        .replace("${local.config_s3_key}", "lagsnap-config/snap/config.toml");
                assertThat(arn).as(sid + ": every interpolation resolved").doesNotContain("${");
                for (String action : actions) {
                    out.add(new Grant(action, arn));
                }
            }
        });
        return out;
    }

    /** "s3:Action key" (no key: the bucket) against IAM globs: '*' any run of characters, '/' included; '?' one. */
    private static boolean allows(List<Grant> grants, String call) {
        String[] parts = call.split(" ", 2);
        String arn = "arn:aws:s3:::b" + (parts.length > 1 ? "/" + parts[1] : "");
        return grants.stream().anyMatch(g -> glob(g.action(), parts[0]) && glob(g.arn(), arn));
    }

    private static boolean glob(String pattern, String text) {
        return text.matches(Pattern.quote(pattern).replace("*", "\\E.*\\Q").replace("?", "\\E.\\Q"));
    }

    @Test
    void awsSecretsAreReadAtRunTimeFromExactlyTheListedArns() {
        assertThat(checks.typed(AWS, "data").keySet()).as("no secret value is read at apply time")
                .noneMatch(d -> d.startsWith("aws_secretsmanager_secret_version.") || d.startsWith("aws_ssm_parameter."));
        assertThat(checks.locals(AWS).get("environment").toString()).doesNotContain("secret");
        Map<String, JsonNode> st = statements();
        assertThat(texts(st.get("SecretsRead").path("actions"))).containsExactly("secretsmanager:GetSecretValue");
        assertThat(st.get("SecretsRead").path("resources").asText()).isEqualTo("${var.secret_arns}");
        assertThat(texts(st.get("ParametersRead").path("actions"))).containsExactly("ssm:GetParameter");
        assertThat(st.get("ParametersRead").path("resources").asText()).isEqualTo("${local.ssm_parameter_arns}");
        assertThat(checks.locals(AWS).get("ssm_parameter_arns").asText()).contains(
                "for n in var.ssm_parameter_names", ":parameter/${trimprefix(n, \"/\")}");
        assertThat(texts(st.get("SecretsKms").path("resources"))).containsExactly("${var.secrets_kms_key_arn}");
        assertThat(checks.labelled(AWS, "variable")).doesNotContainKey("secrets");
    }

    /** The prefix lands in the role's resource ARNs, where IAM reads * and ? as wildcards. */
    @Test
    void awsHistoryPrefixMayHoldNoIamWildcard() {
        String condition = checks.labelled(AWS, "variable").get("history_prefix").path("validation").path(0)
                .path("condition").asText();
        Matcher regex = Pattern.compile("regex\\(\"(.*)\", var\\.history_prefix\\)").matcher(condition);
        assertThat(regex.find()).as(condition).isTrue();
        Pattern prefix = Pattern.compile(regex.group(1));
        assertThat(List.of("lagsnap", "team-a/lagsnap", "a.b_c(1)")).allMatch(p -> prefix.matcher(p).matches());
        assertThat(List.of("lag*", "*", "a/*/b", "lag?snap", "/lagsnap", "lagsnap/", "a//b", ""))
                .noneMatch(p -> prefix.matcher(p).matches());
    }

    @Test
    void gcpSecretsAreResolvedByThePlatformWithAccessOnExactlyThoseSecrets() {
        JsonNode fn = resource(GCP, "google_cloudfunctions2_function.this");
        JsonNode secretEnv = fn.path("service_config").path(0).path("dynamic").path("secret_environment_variables");
        assertThat(secretEnv.path(0).path("for_each").asText()).isEqualTo("${var.secrets}");
        JsonNode access = resource(GCP, "google_secret_manager_secret_iam_member.function");
        assertThat(access.path("for_each").asText()).isEqualTo("${var.secrets}");
        assertThat(access.path("role").asText()).isEqualTo("roles/secretmanager.secretAccessor");
        assertThat(access.path("secret_id").asText()).isEqualTo("${each.value.secret}");
    }

    @Test
    void kubernetesSecretsComeFromSecretKeyRefs() {
        JsonNode container = resource(K8S, "kubernetes_cron_job_v1.this").path("spec").path(0).path("job_template")
                .path(0).path("spec").path(0).path("template").path(0).path("spec").path(0).path("container").path(0);
        List<JsonNode> secretEnv = new ArrayList<>();
        container.path("dynamic").path("env").forEach(e -> {
            if (e.path("for_each").asText().equals("${var.secret_env}")) {
                secretEnv.add(e);
            }
        });
        assertThat(secretEnv).hasSize(1);
        assertThat(secretEnv.get(0).path("content").path(0).path("value_from").path(0).has("secret_key_ref")).isTrue();
    }

    @Test
    void lambdaLogLevelIsSettable() {
        // only the JSON log format makes Lambda set AWS_LAMBDA_LOG_LEVEL
        JsonNode logging = resource(AWS, "aws_lambda_function.this").path("logging_config").path(0);
        assertThat(logging.path("log_format").asText()).isEqualTo("JSON");
        assertThat(logging.path("application_log_level").asText()).isEqualTo("${var.log_level}");
    }

    @Test
    void lambdaEnvironmentPreconditionCountsEveryVariable() {
        JsonNode pre = resource(AWS, "aws_lambda_function.this").path("lifecycle").path(0).path("precondition");
        assertThat(pre.toString()).contains("local.environment_size <= 4096").doesNotContain("length(var.config_toml)");
        assertThat(checks.locals(AWS).get("environment_size").asText())
                .isEqualTo("${length(join(\"\", [for k, v in local.environment : \"${k}${v}\"]))}");
    }

    @Test
    void serverlessModulesScheduleOneRunPerShard() {
        JsonNode schedule = resource(AWS, "aws_scheduler_schedule.this");
        assertThat(schedule.path("count").asText()).isEqualTo("${var.shard_count}");
        assertThat(schedule.path("target").path(0).path("input").asText())
                .contains("shard = \"${count.index}/${var.shard_count}\"");
        JsonNode job = resource(GCP, "google_cloud_scheduler_job.this");
        assertThat(job.path("count").asText()).isEqualTo("${var.shard_count}");
        assertThat(job.path("pubsub_target").path(0).path("data").asText())
                .contains("shard = \"${count.index}/${var.shard_count}\"");
        assertThat(resource(GCP, "google_cloudfunctions2_function.this").path("service_config").path(0)
                .path("max_instance_count").asText()).isEqualTo("${var.shard_count}");
    }

    @Test
    void failedRunsAreNotRetried() {
        assertThat(resource(GCP, "google_cloudfunctions2_function.this").path("event_trigger").path(0)
                .path("retry_policy").asText()).isEqualTo("RETRY_POLICY_DO_NOT_RETRY");
        assertThat(resource(AWS, "aws_lambda_function_event_invoke_config.this").path("maximum_retry_attempts")
                .asInt(-1)).isZero();
        assertThat(resource(AWS, "aws_scheduler_schedule.this").path("target").path(0).path("retry_policy").path(0)
                .path("maximum_retry_attempts").asInt(-1)).isZero();
    }

    @Test
    void shardedKubernetesJobsCountFailuresPerIndex() {
        JsonNode spec = resource(K8S, "kubernetes_cron_job_v1.this").path("spec").path(0).path("job_template")
                .path(0).path("spec").path(0);
        assertThat(spec.path("backoff_limit_per_index").asText()).isEqualTo("${local.sharded ? var.backoff_limit : null}");
        assertThat(spec.path("max_failed_indexes").asText()).isEqualTo("${local.sharded ? var.shard_count : null}");
        assertThat(spec.path("backoff_limit").asText()).isEqualTo("${local.sharded ? 2147483647 : var.backoff_limit}");
    }

    @Test
    void podGraceCoversTheSigtermGraceAndTheSinkReserve() {
        int grace = resource(K8S, "kubernetes_cron_job_v1.this").path("spec").path(0).path("job_template").path(0)
                .path("spec").path(0).path("template").path(0).path("spec").path(0)
                .path("termination_grace_period_seconds").asInt();
        assertThat(grace).as("sink reserve (up to 15 s) plus the SIGTERM grace").isEqualTo(30);
    }
}
