package io.lagsnap.terraform;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Runs every offline check over terraform/modules and terraform/examples. */
class TerraformTreeTest {
    private static HclTree tree;
    private static TerraformChecks checks;

    @BeforeAll
    static void parse() {
        tree = HclTree.load(HclTree.terraformDir());
        checks = new TerraformChecks(tree);
    }

    private static void assertNone(String what, List<String> problems) {
        assertThat(problems).as(what + ":" + TerraformChecks.describe(problems.iterator())).isEmpty();
    }

    @Test
    void everyModuleAndExampleIsParsed() {
        assertThat(tree.moduleAndExampleDirs()).contains(
                "modules/aws-lambda", "modules/gcp-cloud-function", "modules/kubernetes-cronjob",
                "examples/aws-msk-pushgateway", "examples/gcp-managed-kafka-otlp", "examples/kubernetes-strimzi");
        assertThat(tree.files.keySet()).as("the broken fixtures stay out of the real check")
                .noneMatch(f -> f.startsWith("src/"));
    }

    @Test
    void everyUsedVariableIsDeclared() {
        assertNone("undeclared variables", checks.undeclaredVariables());
    }

    @Test
    void everyDeclaredVariableIsUsed() {
        assertNone("unused variables", checks.unusedVariables());
    }

    @Test
    void everyVariableHasDescriptionTypeAndSelfContainedValidation() {
        assertNone("variable declarations", checks.variableDeclarations());
    }

    @Test
    void everyOutputIsDocumented() {
        assertNone("output descriptions", checks.outputDescriptions());
    }

    @Test
    void everyReferenceResolves() {
        assertNone("undefined references", checks.undefinedReferences());
        assertNone("unused locals", checks.unusedLocals());
    }

    @Test
    void everyLocalModuleSourceExists() {
        assertNone("module sources", checks.missingModuleSources());
    }

    @Test
    void examplesPassEveryRequiredModuleVariable() {
        assertNone("module arguments", checks.moduleArguments());
        assertThat(tree.dirs.keySet().stream().filter(d -> d.startsWith("examples/"))
                .filter(d -> checks.labelled(d, "module").isEmpty()).toList())
                .as("every example calls a module").isEmpty();
    }

    @Test
    void noIamStatementUsesAWildcardResource() {
        assertNone("IAM wildcards", checks.wildcardIamResources());
    }

    @Test
    void everyModuleAndExampleHasTheStandardFiles() {
        assertNone("required files", checks.requiredFiles());
    }

    @Test
    void providerVersionsArePinnedToRanges() {
        assertNone("versions.tf", checks.pinnedVersions());
    }

    @Test
    void readmeTablesListEveryInputAndOutput() {
        assertNone("README tables", checks.readmeTables());
    }

    @Test
    void templatesExistAndGetEveryVariable() {
        assertNone("templatefile calls", checks.templateFiles());
    }

    @Test
    void codeFollowsTerraformFmtStyle() {
        assertNone("terraform fmt style", checks.fmtStyle());
    }
}
