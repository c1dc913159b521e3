package io.lagsnap.terraform;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The checks can fail: src/test/fixtures/broken holds one instance of each mistake, and each must be reported. */
class CheckerCatchesBrokenFixturesTest {
    private static Map<String, List<String>> found;

    @BeforeAll
    static void runChecksOnFixtures() {
        Path fixtures = HclTree.terraformDir().resolve("src/test/fixtures/broken");
        found = new TerraformChecks(HclTree.load(fixtures)).all();
    }

    private static List<String> of(String check) {
        return found.get(check);
    }

    @Test
    void undeclaredVariable() {
        assertThat(of("undeclaredVariables")).containsExactly("modules/m: var.undeclared is used but not declared");
    }

    @Test
    void unusedVariable() {
        assertThat(of("unusedVariables")).containsExactly("modules/m: variable \"unused\" is declared but never used");
    }

    @Test
    void variableWithoutDescriptionTypeOrWithForeignValidation() {
        assertThat(of("variableDeclarations")).containsExactlyInAnyOrder(
                "modules/m: variable \"undocumented\" has no description",
                "modules/m: variable \"undocumented\" has no type",
                "modules/m: validation of \"undocumented\" references var.on");
    }

    @Test
    void outputWithoutDescription() {
        assertThat(of("outputDescriptions")).containsExactly("modules/m: output \"no_description\" has no description");
    }

    @Test
    void undefinedResourceAndLocal() {
        assertThat(of("undefinedReferences")).containsExactlyInAnyOrder(
                "modules/m: local.nowhere is used but not defined",
                "modules/m: aws_s3_bucket.missing is used but not declared");
        assertThat(of("unusedLocals")).contains("modules/m: local \"never_used\" is defined but never used");
    }

    @Test
    void missingModuleSourceAndNonLocalSource() {
        assertThat(of("missingModuleSources")).containsExactlyInAnyOrder(
                "examples/e: module \"gone\" has source ../../modules/nope but modules/nope holds no .tf file",
                "examples/e: module \"registry\" must use a relative local source, got "
                        + "\"terraform-aws-modules/lambda/aws\"");
    }

    @Test
    void missingRequiredModuleVariableAndUnknownArgument() {
        assertThat(of("moduleArguments")).containsExactlyInAnyOrder(
                "examples/e: module \"m\" does not pass required variable \"required_one\" of modules/m",
                "examples/e: module \"m\" passes \"unknown_argument\", which modules/m does not declare");
    }

    @Test
    void wildcardIamResources() {
        List<String> iam = of("wildcardIamResources");
        assertThat(iam).anyMatch(p -> p.contains("statement Everything allows [s3:GetObject]"));
        assertThat(iam).anyMatch(p -> p.contains("statement DynamicWildcard allows [secretsmanager:GetSecretValue]"));
        assertThat(iam).noneMatch(p -> p.contains("DescribeOnly"));
        assertThat(iam).anyMatch(p -> p.equals("modules/m/main.tf: an inline policy allows Resource \"*\""));
        assertThat(iam).anyMatch(p -> p.contains("attaches the AWS-managed policy"));
        assertThat(iam).anyMatch(p -> p.contains("grants the primitive role roles/owner"));
    }

    @Test
    void missingStandardFiles() {
        assertThat(of("requiredFiles")).containsExactlyInAnyOrder(
                "examples/e: variables.tf is missing", "examples/e: outputs.tf is missing",
                "examples/e: versions.tf is missing", "examples/e: README.md is missing");
    }

    @Test
    void unpinnedVersions() {
        assertThat(of("pinnedVersions")).containsExactlyInAnyOrder(
                "modules/m/versions.tf: no required_version",
                "modules/m/versions.tf: provider aws needs a source and a bounded version range, got \">= 5.0.0\"");
    }

    @Test
    void incompleteReadme() {
        assertThat(of("readmeTables")).contains(
                "modules/m/README.md: no \"## Outputs\" section",
                "modules/m/README.md: input `required_one` is not in the inputs table",
                "modules/m/README.md: output `no_description` is not in the outputs table",
                "modules/m/README.md: documents `ghost`, which does not exist");
    }

    @Test
    void missingTemplateAndTemplateVariables() {
        assertThat(of("templateFiles")).containsExactlyInAnyOrder(
                "examples/e/main.tf: templatefile nope.tftpl does not exist",
                "examples/e/main.tf: template config.toml.tftpl uses \"not_passed\", which the templatefile call"
                        + " does not pass",
                "examples/e/main.tf: template config.toml.tftpl uses \"also_not_passed\", which the templatefile"
                        + " call does not pass");
    }

    @Test
    void fmtStyle() {
        assertThat(of("fmtStyle")).anyMatch(p -> p.startsWith("modules/m/main.tf:47: \"=\" at column 7"));
        assertThat(of("fmtStyle")).anyMatch(p -> p.startsWith("modules/m/main.tf:53: indented 4 spaces"));
        assertThat(of("fmtStyle")).as("a value opening a multi-line bracket is not aligned, like terraform fmt")
                .noneMatch(p -> p.startsWith("modules/m/main.tf:27:"));
    }

    @Test
    void parseErrorNamesTheFile() {
        HclTree.Run run = HclTree.runScript(HclTree.terraformDir().resolve("src/test/fixtures/unparseable"));
        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.stderr()).contains("HCL parse error in bad.tf").contains("Unclosed configuration block");
        assertThat(run.stdout()).isEmpty();
    }
}
