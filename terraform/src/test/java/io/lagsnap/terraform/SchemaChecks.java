package io.lagsnap.terraform;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Checks every resource and data source of a tree against one provider schema: unknown arguments or blocks,
 * missing required ones, deprecated ones (arguments and attribute references). Each problem is one line naming
 * the directory, the resource, the argument path and the provider version.
 */
final class SchemaChecks {
    /** Resource-level keys Terraform itself defines, never part of a provider schema. */
    static final Set<String> META_ARGUMENTS = Set.of("count", "for_each", "depends_on", "provider", "lifecycle",
            "provisioner", "connection");

    /**
     * Deprecations by hand: the jsii assemblies carry no deprecation flag. Key "data.TYPE.ATTRIBUTE" or
     * "TYPE.ATTRIBUTE" (an argument or a referenced attribute), value the provider and first major version that
     * deprecates it, with the replacement.
     */
    record Deprecation(String provider, int sinceMajor, String replacement) {
    }

    static final Map<String, Deprecation> DEPRECATED = Map.of(
            "data.aws_region.name", new Deprecation("aws", 6, "region"));

    private static final Pattern ATTRIBUTE_REFERENCE =
            Pattern.compile("(?<![\\w.])(data\\.)?([a-z][a-z0-9]*_[a-z0-9_]+)\\.[A-Za-z_][\\w-]*(?:\\[[^\\]]*])?"
                    + "\\.([a-z_][a-z0-9_]*)");

    private static final ObjectMapper JSON = new ObjectMapper();

    private final HclTree tree;
    private final TerraformChecks checks;

    SchemaChecks(HclTree tree) {
        this.tree = tree;
        this.checks = new TerraformChecks(tree);
    }

    /** Problems of every resource and data source of this provider in every directory. */
    List<String> against(ProviderSchema schema) {
        List<String> problems = new ArrayList<>();
        String prefix = schema.provider() + "_";
        String at = " (" + schema.provider() + " " + schema.providerVersion() + ")";
        for (String dir : tree.dirs.keySet()) {
            checks.typed(dir, "resource").forEach((id, body) -> {
                String type = id.substring(0, id.indexOf('.'));
                if (type.startsWith(prefix)) {
                    check(dir + ": " + id, schema.resources().get(type), body, true, problems, at);
                    deprecatedArguments(dir + ": " + id, type, body, schema, problems, at);
                }
            });
            checks.typed(dir, "data").forEach((id, body) -> {
                String type = id.substring(0, id.indexOf('.'));
                if (type.startsWith(prefix)) {
                    check(dir + ": data." + id, schema.dataSources().get(type), body, true, problems, at);
                    deprecatedArguments(dir + ": data." + id, "data." + type, body, schema, problems, at);
                }
            });
            for (Map.Entry<String, JsonNode> file : tree.dirs.get(dir).entrySet()) {
                Expressions.strings(file.getValue(), s -> {
                    Matcher m = ATTRIBUTE_REFERENCE.matcher(Expressions.expressionText(s));
                    while (m.find()) {
                        String key = (m.group(1) == null ? "" : "data.") + m.group(2) + "." + m.group(3);
                        Deprecation d = DEPRECATED.get(key);
                        if (d != null && applies(d, schema)) {
                            problems.add(file.getKey() + ": " + m.group() + " is deprecated" + at + ", use "
                                    + d.replacement());
                        }
                    }
                });
            }
        }
        return problems;
    }

    private static boolean applies(Deprecation d, ProviderSchema schema) {
        return d.provider().equals(schema.provider())
                && Integer.parseInt(schema.providerVersion().split("\\.")[0]) >= d.sinceMajor();
    }

    private static void deprecatedArguments(String where, String type, JsonNode body, ProviderSchema schema,
            List<String> problems, String at) {
        body.fieldNames().forEachRemaining(arg -> {
            Deprecation d = DEPRECATED.get(type + "." + arg);
            if (d != null && applies(d, schema)) {
                problems.add(where + ": argument " + arg + " is deprecated" + at + ", use " + d.replacement());
            }
        });
    }

    /** One block body (hcl2json: attributes as values, blocks as arrays of bodies, dynamic blocks under "dynamic"). */
    private static void check(String where, ProviderSchema.Block block, JsonNode body, boolean topLevel,
            List<String> problems, String at) {
        if (block == null) {
            problems.add(where + ": no such resource or data source" + at);
            return;
        }
        Map<String, JsonNode> present = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = body.fields(); it.hasNext(); ) {
            var e = it.next();
            if (e.getKey().equals("dynamic")) {
                e.getValue().fields().forEachRemaining(d -> {
                    List<JsonNode> contents = new ArrayList<>();
                    d.getValue().forEach(spec -> spec.path("content").forEach(contents::add));
                    present.put(d.getKey(), JSON.valueToTree(contents));
                });
            } else if (!(topLevel && META_ARGUMENTS.contains(e.getKey()))) {
                present.put(e.getKey(), e.getValue());
            }
        }
        present.forEach((name, value) -> {
            ProviderSchema.Argument arg = block.arguments().get(name);
            if (arg == null) {
                problems.add(where + ": unknown argument or block " + name + at);
            } else if (arg.nested() != null) {
                if (value.isArray()) {
                    value.forEach(b -> check(where + "." + name, arg.nested(), b, false, problems, at));
                } else if (value.isObject()) {
                    check(where + "." + name, arg.nested(), value, false, problems, at);
                }
            }
        });
        block.arguments().values().stream().filter(a -> a.required() && !present.containsKey(a.name()))
                .forEach(a -> problems.add(where + ": missing required argument or block " + a.name() + at));
    }
}
