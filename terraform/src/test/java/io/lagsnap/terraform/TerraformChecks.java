package io.lagsnap.terraform;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The offline checks of lagsnap's Terraform code. Each returns the problems it found, one readable line each, so a
 * test can assert an empty list and a negative test can assert that a broken fixture is caught.
 */
final class TerraformChecks {
    static final List<String> REQUIRED_FILES = List.of("main.tf", "variables.tf", "outputs.tf", "versions.tf",
            "README.md");
    static final Set<String> MODULE_META_ARGUMENTS = Set.of("source", "version", "providers", "count", "for_each",
            "depends_on");
    /**
     * Actions that support no resource-level permissions, so "*" is the only resource they can name. Lambda needs
     * them to attach a function to a VPC.
     */
    static final Set<String> ACTIONS_WITHOUT_RESOURCE_LEVEL = Set.of("ec2:DescribeNetworkInterfaces",
            "ec2:DescribeSubnets", "ec2:DescribeSecurityGroups", "ec2:DescribeVpcs");
    static final Set<String> PRIMITIVE_GCP_ROLES = Set.of("roles/owner", "roles/editor", "roles/viewer");
    private static final Pattern JSON_WILDCARD_RESOURCE =
            Pattern.compile("\"?Resource\"?\\s*[=:]\\s*\\[?\\s*\"\\*\"");
    private static final Pattern TEMPLATEFILE =
            Pattern.compile("templatefile\\(\\s*\"\\$\\{path\\.module}/([^\"]+)\"\\s*,\\s*\\{");

    private final HclTree tree;

    TerraformChecks(HclTree tree) {
        this.tree = tree;
    }

    // ------------------------------------------------------------------ helpers

    /** name -> block body, for top-level blocks with one label (variable, output, module). */
    Map<String, JsonNode> labelled(String dir, String kind) {
        Map<String, JsonNode> out = new LinkedHashMap<>();
        tree.dirs.getOrDefault(dir, Map.of()).values().forEach(file -> {
            JsonNode k = file.get(kind);
            if (k != null) {
                k.fields().forEachRemaining(e -> out.put(e.getKey(), e.getValue().get(0)));
            }
        });
        return out;
    }

    /** "type.name" -> body, for resource or data blocks. */
    Map<String, JsonNode> typed(String dir, String kind) {
        Map<String, JsonNode> out = new LinkedHashMap<>();
        tree.dirs.getOrDefault(dir, Map.of()).values().forEach(file -> {
            JsonNode k = file.get(kind);
            if (k != null) {
                k.fields().forEachRemaining(t -> t.getValue().fields().forEachRemaining(
                        n -> out.put(t.getKey() + "." + n.getKey(), n.getValue().get(0))));
            }
        });
        return out;
    }

    Map<String, JsonNode> locals(String dir) {
        Map<String, JsonNode> out = new LinkedHashMap<>();
        tree.dirs.getOrDefault(dir, Map.of()).values().forEach(file -> file.path("locals").forEach(
                block -> block.fields().forEachRemaining(e -> out.put(e.getKey(), e.getValue()))));
        return out;
    }

    /** Everything of a directory except its variable blocks: where a variable counts as used. */
    private List<JsonNode> bodyWithoutVariables(String dir) {
        List<JsonNode> out = new ArrayList<>();
        tree.dirs.getOrDefault(dir, Map.of()).values().forEach(file -> file.fields().forEachRemaining(e -> {
            if (!e.getKey().equals("variable")) {
                out.add(e.getValue());
            }
        }));
        return out;
    }

    private Set<String> refs(String dir, Pattern p, boolean includeVariables) {
        Set<String> found = new TreeSet<>();
        if (includeVariables) {
            tree.dirs.getOrDefault(dir, Map.of()).values().forEach(f -> found.addAll(Expressions.references(f, p)));
        } else {
            bodyWithoutVariables(dir).forEach(n -> found.addAll(Expressions.references(n, p)));
        }
        return found;
    }

    private Path moduleSourceDir(String dir, String source) {
        return tree.dirPath(dir).resolve(source).normalize();
    }

    private String relative(Path p) {
        return tree.root.relativize(p.normalize()).toString().replace('\\', '/');
    }

    // ------------------------------------------------------------------ the checks

    /** Every var.X used is declared in the same module. */
    List<String> undeclaredVariables() {
        List<String> problems = new ArrayList<>();
        for (String dir : tree.dirs.keySet()) {
            Set<String> declared = labelled(dir, "variable").keySet();
            for (String used : refs(dir, Expressions.VAR, true)) {
                if (!declared.contains(used)) {
                    problems.add(dir + ": var." + used + " is used but not declared");
                }
            }
        }
        return problems;
    }

    /** Every declared variable is used outside its own declaration. */
    List<String> unusedVariables() {
        List<String> problems = new ArrayList<>();
        for (String dir : tree.dirs.keySet()) {
            Set<String> used = refs(dir, Expressions.VAR, false);
            for (String declared : labelled(dir, "variable").keySet()) {
                if (!used.contains(declared)) {
                    problems.add(dir + ": variable \"" + declared + "\" is declared but never used");
                }
            }
        }
        return problems;
    }

    /** Every variable has a description and a type; its validations reference only itself (Terraform < 1.9). */
    List<String> variableDeclarations() {
        List<String> problems = new ArrayList<>();
        for (String dir : tree.dirs.keySet()) {
            labelled(dir, "variable").forEach((name, body) -> {
                if (!body.path("description").isTextual() || body.path("description").asText().isBlank()) {
                    problems.add(dir + ": variable \"" + name + "\" has no description");
                }
                if (!body.has("type")) {
                    problems.add(dir + ": variable \"" + name + "\" has no type");
                }
                for (JsonNode v : body.path("validation")) {
                    if (!v.path("error_message").isTextual()) {
                        problems.add(dir + ": variable \"" + name + "\" has a validation without error_message");
                    }
                    for (String other : Expressions.references(v.path("condition"), Expressions.VAR)) {
                        if (!other.equals(name)) {
                            problems.add(dir + ": validation of \"" + name + "\" references var." + other);
                        }
                    }
                }
            });
        }
        return problems;
    }

    /** Every output has a description. */
    List<String> outputDescriptions() {
        List<String> problems = new ArrayList<>();
        for (String dir : tree.dirs.keySet()) {
            labelled(dir, "output").forEach((name, body) -> {
                if (!body.path("description").isTextual() || body.path("description").asText().isBlank()) {
                    problems.add(dir + ": output \"" + name + "\" has no description");
                }
            });
        }
        return problems;
    }

    /** local.X, module.X, data.T.N and T.N references all point at something defined in the module. */
    List<String> undefinedReferences() {
        List<String> problems = new ArrayList<>();
        for (String dir : tree.dirs.keySet()) {
            Set<String> localsDefined = locals(dir).keySet();
            Set<String> modules = labelled(dir, "module").keySet();
            Set<String> data = typed(dir, "data").keySet();
            Set<String> resources = typed(dir, "resource").keySet();
            Set<String> iterators = new LinkedHashSet<>();
            tree.dirs.get(dir).values().forEach(f -> Expressions.dynamicIterators(f, iterators));
            refs(dir, Expressions.LOCAL, true).stream().filter(l -> !localsDefined.contains(l))
                    .forEach(l -> problems.add(dir + ": local." + l + " is used but not defined"));
            refs(dir, Expressions.MODULE, true).stream().filter(m -> !modules.contains(m))
                    .forEach(m -> problems.add(dir + ": module." + m + " is used but not declared"));
            refs(dir, Expressions.DATA, true).stream().filter(d -> !data.contains(d))
                    .forEach(d -> problems.add(dir + ": data." + d + " is used but not declared"));
            refs(dir, Expressions.RESOURCE, true).stream()
                    .filter(r -> !iterators.contains(r.substring(0, r.indexOf('.'))))
                    .filter(r -> !resources.contains(r))
                    .forEach(r -> problems.add(dir + ": " + r + " is used but not declared"));
        }
        return problems;
    }

    /** Every local is used somewhere in its module. */
    List<String> unusedLocals() {
        List<String> problems = new ArrayList<>();
        for (String dir : tree.dirs.keySet()) {
            Set<String> used = refs(dir, Expressions.LOCAL, true);
            locals(dir).keySet().stream().filter(l -> !used.contains(l))
                    .forEach(l -> problems.add(dir + ": local \"" + l + "\" is defined but never used"));
        }
        return problems;
    }

    /** Every local module source exists and holds .tf files. */
    List<String> missingModuleSources() {
        List<String> problems = new ArrayList<>();
        for (String dir : tree.dirs.keySet()) {
            labelled(dir, "module").forEach((name, body) -> {
                String source = body.path("source").asText("");
                if (source.startsWith("./") || source.startsWith("../")) {
                    String target = relative(moduleSourceDir(dir, source));
                    if (!tree.dirs.containsKey(target)) {
                        problems.add(dir + ": module \"" + name + "\" has source " + source
                                + " but " + target + " holds no .tf file");
                    }
                } else {
                    problems.add(dir + ": module \"" + name + "\" must use a relative local source, got \""
                            + source + "\"");
                }
            });
        }
        return problems;
    }

    /** Module calls pass every required variable (no default) and no argument the module does not declare. */
    List<String> moduleArguments() {
        List<String> problems = new ArrayList<>();
        for (String dir : tree.dirs.keySet()) {
            labelled(dir, "module").forEach((name, body) -> {
                String source = body.path("source").asText("");
                String target = relative(moduleSourceDir(dir, source));
                if (!tree.dirs.containsKey(target)) {
                    return;
                }
                Map<String, JsonNode> variables = labelled(target, "variable");
                Set<String> passed = new TreeSet<>();
                body.fieldNames().forEachRemaining(passed::add);
                passed.removeAll(MODULE_META_ARGUMENTS);
                variables.forEach((v, decl) -> {
                    if (!decl.has("default") && !passed.contains(v)) {
                        problems.add(dir + ": module \"" + name + "\" does not pass required variable \"" + v
                                + "\" of " + target);
                    }
                });
                passed.stream().filter(a -> !variables.containsKey(a)).forEach(a -> problems.add(dir
                        + ": module \"" + name + "\" passes \"" + a + "\", which " + target + " does not declare"));
            });
        }
        return problems;
    }

    /**
     * No IAM statement allows "*" as the resource, except for actions that support no resource-level permissions.
     * Looks at aws_iam_policy_document statements (static and dynamic) and at any inline JSON policy text, and
     * rejects AWS-managed policy attachments (they are not least privilege) and primitive GCP roles.
     */
    List<String> wildcardIamResources() {
        List<String> problems = new ArrayList<>();
        for (String dir : tree.dirs.keySet()) {
            typed(dir, "data").forEach((id, body) -> {
                if (!id.startsWith("aws_iam_policy_document.")) {
                    return;
                }
                for (JsonNode st : Expressions.blocks(body, "statement")) {
                    String sid = st.path("sid").asText("(no sid)");
                    List<String> resources = texts(st.path("resources"));
                    if (resources.contains("*")) {
                        List<String> actions = texts(st.path("actions"));
                        List<String> scoped = actions.stream()
                                .filter(a -> !ACTIONS_WITHOUT_RESOURCE_LEVEL.contains(a)).toList();
                        if (actions.isEmpty() || !scoped.isEmpty()) {
                            problems.add(dir + ": " + id + " statement " + sid + " allows " + scoped
                                    + " on resource \"*\"; name the ARN instead");
                        }
                    }
                    if (st.has("not_resources")) {
                        problems.add(dir + ": " + id + " statement " + sid + " uses not_resources");
                    }
                }
            });
            for (Map.Entry<String, JsonNode> file : tree.dirs.get(dir).entrySet()) {
                Expressions.strings(file.getValue(), s -> {
                    if (JSON_WILDCARD_RESOURCE.matcher(s).find()) {
                        problems.add(file.getKey() + ": an inline policy allows Resource \"*\"");
                    }
                });
            }
            typed(dir, "resource").forEach((id, body) -> {
                String arn = body.path("policy_arn").asText("");
                if (arn.contains(":aws:policy/") || arn.contains(":iam::aws:policy/")) {
                    problems.add(dir + ": " + id + " attaches the AWS-managed policy " + arn);
                }
                String role = body.path("role").asText("");
                if (id.startsWith("google_") && PRIMITIVE_GCP_ROLES.contains(role)) {
                    problems.add(dir + ": " + id + " grants the primitive role " + role);
                }
            });
        }
        return problems;
    }

    private static List<String> texts(JsonNode n) {
        List<String> out = new ArrayList<>();
        if (n.isTextual()) {
            out.add(n.asText());
        } else {
            n.forEach(x -> out.add(x.asText()));
        }
        return out;
    }

    /** Every module and example has main.tf, variables.tf, outputs.tf, versions.tf and README.md. */
    List<String> requiredFiles() {
        List<String> problems = new ArrayList<>();
        for (String dir : tree.moduleAndExampleDirs()) {
            for (String f : REQUIRED_FILES) {
                if (!Files.isRegularFile(tree.dirPath(dir).resolve(f))) {
                    problems.add(dir + ": " + f + " is missing");
                }
            }
        }
        return problems;
    }

    /** versions.tf pins required_version and every provider with a lower and an upper bound. */
    List<String> pinnedVersions() {
        List<String> problems = new ArrayList<>();
        for (String dir : tree.moduleAndExampleDirs()) {
            JsonNode versions = tree.files.get(dir + "/versions.tf");
            if (versions == null) {
                continue;
            }
            JsonNode terraform = versions.path("terraform").path(0);
            if (!terraform.path("required_version").isTextual()) {
                problems.add(dir + "/versions.tf: no required_version");
            }
            JsonNode providers = terraform.path("required_providers").path(0);
            if (providers.isMissingNode() || providers.isEmpty()) {
                problems.add(dir + "/versions.tf: no required_providers");
            }
            providers.fields().forEachRemaining(p -> {
                String version = p.getValue().path("version").asText("");
                boolean bounded = version.contains("~>") || (version.contains(">=") && version.contains("<"));
                if (!p.getValue().path("source").isTextual() || !bounded) {
                    problems.add(dir + "/versions.tf: provider " + p.getKey()
                            + " needs a source and a bounded version range, got \"" + version + "\"");
                }
            });
        }
        return problems;
    }

    /** README.md has Inputs and Outputs tables that list every variable and output of the directory. */
    List<String> readmeTables() {
        List<String> problems = new ArrayList<>();
        for (String dir : tree.moduleAndExampleDirs()) {
            Path readme = tree.dirPath(dir).resolve("README.md");
            if (!Files.isRegularFile(readme)) {
                continue;
            }
            String text = read(readme);
            for (String heading : List.of("## Inputs", "## Outputs")) {
                if (!text.contains("\n" + heading + "\n")) {
                    problems.add(dir + "/README.md: no \"" + heading + "\" section");
                }
            }
            labelled(dir, "variable").keySet().stream().filter(v -> !text.contains("\n| `" + v + "` |"))
                    .forEach(v -> problems.add(dir + "/README.md: input `" + v + "` is not in the inputs table"));
            labelled(dir, "output").keySet().stream().filter(o -> !text.contains("\n| `" + o + "` |"))
                    .forEach(o -> problems.add(dir + "/README.md: output `" + o + "` is not in the outputs table"));
            Matcher m = Pattern.compile("(?m)^\\| `([a-z0-9_]+)` \\|").matcher(text);
            Set<String> documented = new TreeSet<>();
            while (m.find()) {
                documented.add(m.group(1));
            }
            Set<String> known = new TreeSet<>(labelled(dir, "variable").keySet());
            known.addAll(labelled(dir, "output").keySet());
            documented.stream().filter(d -> !known.contains(d))
                    .forEach(d -> problems.add(dir + "/README.md: documents `" + d + "`, which does not exist"));
        }
        return problems;
    }

    /**
     * templatefile("${path.module}/F", {...}) names a file that exists, and every variable the template uses is
     * passed in the map.
     */
    List<String> templateFiles() {
        List<String> problems = new ArrayList<>();
        for (String dir : tree.dirs.keySet()) {
            for (Map.Entry<String, JsonNode> file : tree.dirs.get(dir).entrySet()) {
                Expressions.strings(file.getValue(), s -> {
                    Matcher m = TEMPLATEFILE.matcher(s);
                    while (m.find()) {
                        Path template = tree.dirPath(dir).resolve(m.group(1));
                        if (!Files.isRegularFile(template)) {
                            problems.add(file.getKey() + ": templatefile " + m.group(1) + " does not exist");
                            continue;
                        }
                        Set<String> passed = mapKeys(s, m.end());
                        for (String used : TemplateVariables.used(read(template))) {
                            if (!passed.contains(used)) {
                                problems.add(file.getKey() + ": template " + m.group(1) + " uses \"" + used
                                        + "\", which the templatefile call does not pass");
                            }
                        }
                    }
                });
            }
        }
        return problems;
    }

    /** Keys of the object literal that starts right before index from (one "key = value" per line). */
    private static Set<String> mapKeys(String s, int from) {
        Set<String> keys = new TreeSet<>();
        int depth = 1;
        int i = from;
        int lineStart = from;
        while (i < s.length() && depth > 0) {
            char c = s.charAt(i);
            if (c == '{' || c == '(' || c == '[') {
                depth++;
            } else if (c == '}' || c == ')' || c == ']') {
                depth--;
            } else if (c == '\n') {
                lineStart = i + 1;
            } else if (c == '=' && depth == 1 && i + 1 < s.length() && s.charAt(i + 1) != '=' && s.charAt(i + 1) != '>'
                    && s.charAt(i - 1) != '=' && s.charAt(i - 1) != '!' && s.charAt(i - 1) != '<'
                    && s.charAt(i - 1) != '>') {
                String key = s.substring(lineStart, i).trim();
                if (key.startsWith("{")) {
                    key = key.substring(1).trim();
                }
                if (key.contains(",")) {
                    key = key.substring(key.lastIndexOf(',') + 1).trim();
                }
                keys.add(key.replace("\"", ""));
            } else if (c == ',') {
                lineStart = i + 1;
            }
            i++;
        }
        return keys;
    }

    static String read(Path p) {
        try {
            return Files.readString(p, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** terraform fmt style of every .tf file (see {@link FmtStyle}). */
    List<String> fmtStyle() {
        List<String> problems = new ArrayList<>();
        for (String file : tree.files.keySet()) {
            Path p = tree.root.resolve(file);
            FmtStyle.check(read(p)).forEach(problem -> problems.add(file + ":" + problem));
        }
        return problems;
    }

    /** All checks at once, named, for the negative test. */
    Map<String, List<String>> all() {
        Map<String, List<String>> out = new LinkedHashMap<>();
        out.put("undeclaredVariables", undeclaredVariables());
        out.put("unusedVariables", unusedVariables());
        out.put("variableDeclarations", variableDeclarations());
        out.put("outputDescriptions", outputDescriptions());
        out.put("undefinedReferences", undefinedReferences());
        out.put("unusedLocals", unusedLocals());
        out.put("missingModuleSources", missingModuleSources());
        out.put("moduleArguments", moduleArguments());
        out.put("wildcardIamResources", wildcardIamResources());
        out.put("requiredFiles", requiredFiles());
        out.put("pinnedVersions", pinnedVersions());
        out.put("readmeTables", readmeTables());
        out.put("templateFiles", templateFiles());
        out.put("fmtStyle", fmtStyle());
        return out;
    }

    static String describe(Iterator<String> it) {
        StringBuilder b = new StringBuilder();
        it.forEachRemaining(s -> b.append("\n  ").append(s));
        return b.toString();
    }
}
