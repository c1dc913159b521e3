package io.lagsnap.terraform;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The argument schema of every resource and data source of one provider version, read from the jsii assembly
 * ({@code .jsii}) that a prebuilt {@code @cdktf/provider-*} npm package ships. Each resource class there has a
 * {@code *Config} struct whose properties are exactly the settable arguments and nested blocks (computed-only
 * attributes are absent); a property without {@code optional} is required. The Terraform name of a property is the
 * anchor of its registry link ({@code .../lambda_function#function_name}). The assembly carries no deprecation flags,
 * so deprecations are listed by hand in {@link SchemaChecks#DEPRECATED}.
 *
 * @param provider         e.g. "aws"
 * @param providerVersion  the Terraform provider version the package was generated from, e.g. "6.25.0"
 * @param resources        resource type -> its arguments
 * @param dataSources      data source type (without "data.") -> its arguments
 */
record ProviderSchema(String provider, String providerVersion, Map<String, Block> resources,
        Map<String, Block> dataSources) {

    /** One argument: required or not, and the block it opens when it is a nested block or object. */
    record Argument(String name, boolean required, Block nested) {
    }

    /** The arguments of a resource, data source or nested block, by Terraform name. */
    record Block(Map<String, Argument> arguments) {
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern TYPE_LINK =
            Pattern.compile("\\{@link https://registry\\.terraform\\.io/providers/[^ ]+/docs/(resources|data-sources)/"
                    + "[^ ]+ ([a-z0-9_]+)}");
    private static final Pattern ARGUMENT_ANCHOR = Pattern.compile("#([a-z0-9_]+) [A-Za-z0-9]+#[a-z0-9_]+}");

    /** Reads node_modules/PACKAGE (an alias such as provider-aws-max) below the terraform directory. */
    static ProviderSchema load(Path terraformDir, String packageAlias) {
        Path pkg = terraformDir.resolve("node_modules").resolve(packageAlias);
        if (!Files.isRegularFile(pkg.resolve(".jsii"))) {
            throw new IllegalStateException("The provider schema package " + packageAlias + " is not installed: run "
                    + "`npm ci --prefix terraform` from the repository root first.");
        }
        try {
            JsonNode cdktf = JSON.readTree(pkg.resolve("package.json").toFile()).path("cdktf").path("provider");
            String name = cdktf.path("name").asText();
            String provider = name.substring(name.lastIndexOf('/') + 1);
            Map<String, JsonNode> structs = new HashMap<>();
            Map<String, String> resourceConfigs = new LinkedHashMap<>();
            Map<String, String> dataConfigs = new LinkedHashMap<>();
            try (JsonParser p = new JsonFactory().setCodec(JSON).createParser(pkg.resolve(".jsii").toFile())) {
                p.nextToken();
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String field = p.currentName();
                    p.nextToken();
                    if (!field.equals("types")) {
                        p.skipChildren();
                        continue;
                    }
                    while (p.nextToken() == JsonToken.FIELD_NAME) {
                        p.nextToken();
                        JsonNode type = p.readValueAsTree();
                        collect(type, structs, resourceConfigs, dataConfigs);
                    }
                }
            }
            Map<String, Block> built = new HashMap<>();
            Map<String, Block> resources = new LinkedHashMap<>();
            resourceConfigs.forEach((t, fqn) -> resources.put(t, block(fqn, structs, built)));
            Map<String, Block> data = new LinkedHashMap<>();
            dataConfigs.forEach((t, fqn) -> data.put(t, block(fqn, structs, built)));
            return new ProviderSchema(provider, cdktf.path("version").asText(), resources, data);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the schema of " + packageAlias, e);
        }
    }

    private static void collect(JsonNode type, Map<String, JsonNode> structs, Map<String, String> resourceConfigs,
            Map<String, String> dataConfigs) {
        if (type.path("datatype").asBoolean(false)) {
            structs.put(type.path("fqn").asText(), type);
            return;
        }
        String base = type.path("base").asText("");
        boolean resource = base.equals("cdktf.TerraformResource");
        if (!resource && !base.equals("cdktf.TerraformDataSource")) {
            return;
        }
        Matcher m = TYPE_LINK.matcher(type.path("docs").path("summary").asText(""));
        String configFqn = null;
        for (JsonNode param : type.path("initializer").path("parameters")) {
            if (param.path("name").asText().equals("config")) {
                configFqn = param.path("type").path("fqn").asText(null);
            }
        }
        if (m.find() && configFqn != null) {
            (resource ? resourceConfigs : dataConfigs).put(m.group(2), configFqn);
        }
    }

    private static Block block(String fqn, Map<String, JsonNode> structs, Map<String, Block> built) {
        Block done = built.get(fqn);
        if (done != null) {
            return done;
        }
        Map<String, Argument> args = new LinkedHashMap<>();
        Block block = new Block(args);
        built.put(fqn, block);
        JsonNode struct = structs.get(fqn);
        if (struct == null) {
            return block;
        }
        for (JsonNode prop : struct.path("properties")) {
            JsonNode docs = prop.path("docs");
            Matcher m = ARGUMENT_ANCHOR.matcher(docs.path("summary").asText("") + " " + docs.path("remarks").asText(""));
            String name = m.find() ? m.group(1) : snake(prop.path("name").asText());
            String nestedFqn = structFqn(prop.path("type"), structs);
            args.put(name, new Argument(name, !prop.path("optional").asBoolean(false),
                    nestedFqn == null ? null : block(nestedFqn, structs, built)));
        }
        return block;
    }

    /** The struct a property's type names, directly, as array element or inside a union; null for plain values. */
    private static String structFqn(JsonNode type, Map<String, JsonNode> structs) {
        String fqn = type.path("fqn").asText(null);
        if (fqn != null) {
            return structs.containsKey(fqn) ? fqn : null;
        }
        for (JsonNode member : type.path("union").path("types")) {
            String f = structFqn(member, structs);
            if (f != null) {
                return f;
            }
        }
        JsonNode collection = type.path("collection");
        return collection.path("kind").asText("").equals("array")
                ? structFqn(collection.path("elementtype"), structs) : null;
    }

    private static String snake(String camel) {
        return camel.replaceAll("([a-z0-9])([A-Z])", "$1_$2").toLowerCase(java.util.Locale.ROOT);
    }
}
