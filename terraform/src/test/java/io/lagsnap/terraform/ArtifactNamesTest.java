package io.lagsnap.terraform;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The handler and entry-point names and the artifact paths in the Terraform code match what the build produces.
 * Names are read from the adapter modules' poms and sources where those declare them; where a module does not
 * declare one yet, the test holds the team's agreed name as a constant and says which file will define it.
 */
class ArtifactNamesTest {
    /** Defined by lambda-adapter/pom.xml (the zip of classes + lib/ that the build packages). */
    static final String LAMBDA_ZIP = "lagsnap-lambda.zip";
    /** Defined by lambda-adapter/src/main/java/io/lagsnap/lambda/LagsnapHandler.java. */
    static final String LAMBDA_HANDLER = "io.lagsnap.lambda.LagsnapHandler::handleRequest";
    /** Defined by gcf-adapter/pom.xml (the deploy zip holding one fat jar at its root). */
    static final String GCF_ZIP = "lagsnap-gcf.zip";
    /** Defined by gcf-adapter/src/main/java/io/lagsnap/gcf/LagsnapCloudEventFunction.java. */
    static final String GCF_CLOUD_EVENT_FUNCTION = "io.lagsnap.gcf.LagsnapCloudEventFunction";
    /** Defined by gcf-adapter/src/main/java/io/lagsnap/gcf/LagsnapHttpFunction.java. */
    static final String GCF_HTTP_FUNCTION = "io.lagsnap.gcf.LagsnapHttpFunction";
    /** Defined by cronjob/src/main/java/io/lagsnap/cli/LagsnapCli.java (picocli options and shard variables). */
    static final List<String> CLI_NAMES = List.of("\"--config\"", "JOB_COMPLETION_INDEX", "LAGSNAP_SHARD_COUNT");

    private static Path repo;
    private static HclTree tree;
    private static TerraformChecks checks;

    @BeforeAll
    static void parse() {
        Path tf = HclTree.terraformDir();
        repo = tf.getParent();
        tree = HclTree.load(tf);
        checks = new TerraformChecks(tree);
    }

    // ---------------------------------------------------------------- what the build declares

    /**
     * Zip names a module's build declares: literal *.zip names in its pom and assembly descriptors, and
     * finalName + ".zip" when a descriptor or the pom builds a zip. Empty while the module packages no zip yet.
     */
    static Set<String> declaredZipNames(Path module) {
        StringBuilder text = new StringBuilder();
        List<Path> files = new ArrayList<>();
        files.add(module.resolve("pom.xml"));
        for (String dir : List.of("src/assembly", "src/main/assembly")) {
            Path d = module.resolve(dir);
            if (Files.isDirectory(d)) {
                try (Stream<Path> s = Files.list(d)) {
                    s.filter(p -> p.toString().endsWith(".xml")).forEach(files::add);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        }
        files.stream().filter(Files::isRegularFile).forEach(p -> text.append(TerraformChecks.read(p)).append('\n'));
        Set<String> names = new LinkedHashSet<>();
        Matcher literal = Pattern.compile("([A-Za-z0-9_.${}-]+\\.zip)\\b").matcher(text);
        while (literal.find()) {
            names.add(literal.group(1));
        }
        if (text.indexOf("<format>zip</format>") >= 0 || text.indexOf(">zip<") >= 0) {
            Matcher finalName = Pattern.compile("<finalName>([^<]+)</finalName>").matcher(text);
            while (finalName.find()) {
                names.add(finalName.group(1).trim() + ".zip");
            }
        }
        return names;
    }

    /** The zip name to check Terraform against: the build's when it declares one, else the agreed constant. */
    static String expectedZip(String module, String agreed) {
        Set<String> declared = declaredZipNames(repo.resolve(module));
        if (declared.isEmpty()) {
            return agreed;
        }
        assertThat(declared).as(module + "/pom.xml declares the deploy zip " + agreed + " that Terraform deploys")
                .contains(agreed);
        return agreed;
    }

    /** A class of an adapter: checked in its sources once the module has sources. */
    static void assertClassDeclared(String module, String className, String member) {
        Path sources = repo.resolve(module).resolve("src/main/java");
        if (!Files.isDirectory(sources)) {
            return;
        }
        Path file = sources.resolve(className.replace('.', '/') + ".java");
        assertThat(file).as(module + " must define " + className + ", which Terraform deploys").isRegularFile();
        String text = TerraformChecks.read(file);
        if (member != null) {
            assertThat(text).as(className + " must have " + member).contains(member);
        }
    }

    /** Text of every main source file of a module ("" when it has none yet). */
    static String sources(String module) {
        Path sources = repo.resolve(module).resolve("src/main/java");
        if (!Files.isDirectory(sources)) {
            return "";
        }
        StringBuilder out = new StringBuilder();
        try (Stream<Path> s = Files.walk(sources)) {
            s.filter(p -> p.toString().endsWith(".java")).forEach(p -> out.append(TerraformChecks.read(p)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    // ---------------------------------------------------------------- what Terraform says

    private static String variableDefault(String dir, String variable) {
        return checks.labelled(dir, "variable").get(variable).path("default").asText();
    }

    /** The ${path.module}-relative artifact path an example uses by default, resolved from the example. */
    private static Path exampleArtifact(String example) {
        JsonNode artifact = checks.locals(example).get("artifact_path");
        assertThat(artifact).as(example + " defines local.artifact_path").isNotNull();
        Matcher m = Pattern.compile("\\$\\{path\\.module}/([^\"]+\\.zip)").matcher(artifact.asText());
        assertThat(m.find()).as(example + ": artifact_path defaults to a zip below ${path.module}").isTrue();
        return tree.dirPath(example).resolve(m.group(1)).normalize();
    }

    private static String allText(String dir) {
        StringBuilder b = new StringBuilder();
        tree.dirs.get(dir).values().forEach(f -> Expressions.strings(f, s -> b.append(s).append('\n')));
        return b.toString();
    }

    // ---------------------------------------------------------------- the checks

    @Test
    void lambdaHandlerAndZipMatchTheBuild() {
        String zip = expectedZip("lambda-adapter", LAMBDA_ZIP);
        assertThat(exampleArtifact("examples/aws-msk-pushgateway"))
                .isEqualTo(repo.resolve("lambda-adapter/target").resolve(zip).normalize());
        assertThat(variableDefault("modules/aws-lambda", "handler")).isEqualTo(LAMBDA_HANDLER);
        String[] handler = LAMBDA_HANDLER.split("::");
        assertClassDeclared("lambda-adapter", handler[0], handler[1]);
        JsonNode function = checks.typed("modules/aws-lambda", "resource").get("aws_lambda_function.this");
        assertThat(function.path("runtime").asText()).isEqualTo("java21");
        assertThat(function.path("handler").asText()).isEqualTo("${var.handler}");
    }

    @Test
    void gcfEntryPointAndZipMatchTheBuild() {
        String zip = expectedZip("gcf-adapter", GCF_ZIP);
        assertThat(exampleArtifact("examples/gcp-managed-kafka-otlp"))
                .isEqualTo(repo.resolve("gcf-adapter/target").resolve(zip).normalize());
        assertThat(variableDefault("modules/gcp-cloud-function", "entry_point")).isEqualTo(GCF_CLOUD_EVENT_FUNCTION);
        assertThat(variableDefault("modules/gcp-cloud-function", "runtime")).isEqualTo("java21");
        assertClassDeclared("gcf-adapter", GCF_CLOUD_EVENT_FUNCTION, null);
        assertClassDeclared("gcf-adapter", GCF_HTTP_FUNCTION, null);
        assertThat(TerraformChecks.read(tree.dirPath("modules/gcp-cloud-function").resolve("README.md")))
                .contains(GCF_HTTP_FUNCTION);
    }

    /** The environment names the serverless adapters read, from core's ConfigSource once it defines them. */
    static Map<String, String> configSourceNames() {
        Map<String, String> names = new LinkedHashMap<>(Map.of("TEXT", "LAGSNAP_CONFIG", "URL",
                "LAGSNAP_CONFIG_URL", "FAIL_ON", "LAGSNAP_FAIL_ON"));
        Path file = repo.resolve("core/src/main/java/io/lagsnap/core/invocation/ConfigSource.java");
        if (Files.isRegularFile(file)) {
            String text = TerraformChecks.read(file);
            for (String constant : List.copyOf(names.keySet())) {
                Matcher m = Pattern.compile("String " + constant + " = \"([A-Z_]+)\"").matcher(text);
                assertThat(m.find()).as("ConfigSource defines " + constant).isTrue();
                names.put(constant, m.group(1));
            }
        }
        return names;
    }

    @Test
    void adaptersReadTheConfigVariablesTerraformSets() {
        Map<String, String> names = configSourceNames();
        assertThat(checks.locals("modules/aws-lambda").get("config_environment").asText())
                .contains(names.get("TEXT") + " =").contains(names.get("URL") + " =");
        assertThat(checks.locals("modules/aws-lambda").get("environment").asText())
                .contains(names.get("FAIL_ON") + " =");
        assertThat(checks.locals("modules/gcp-cloud-function").get("environment").asText())
                .contains(names.get("TEXT")).contains(names.get("FAIL_ON"));
        for (String module : List.of("lambda-adapter", "gcf-adapter")) {
            String src = sources(module);
            if (!src.isEmpty()) {
                assertThat(src).as(module + " reads the config variable Terraform sets").contains("LAGSNAP_CONFIG");
            }
        }
    }

    @Test
    void cronJobArgumentsAndShardVariablesMatchTheCli() {
        JsonNode locals = checks.locals("modules/kubernetes-cronjob").get("args");
        assertThat(locals.toString()).contains("--config").contains("${local.config_dir}/config.toml");
        assertThat(checks.locals("modules/kubernetes-cronjob").get("config_dir").asText()).isEqualTo("/etc/lagsnap");
        assertThat(checks.locals("modules/kubernetes-cronjob").get("run_as_user").asInt()).isEqualTo(65532);
        assertThat(allText("modules/kubernetes-cronjob")).contains("LAGSNAP_SHARD_COUNT", "Indexed", "Forbid");
        String cli = sources("cronjob");
        if (!cli.isEmpty()) {
            for (String name : CLI_NAMES) {
                assertThat(cli).as("cronjob sources define " + name + ", which the CronJob module relies on")
                        .contains(name);
            }
        }
    }
}
