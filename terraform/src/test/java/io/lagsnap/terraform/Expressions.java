package io.lagsnap.terraform;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads references out of the strings hcl2json produces. hcl2json keeps every expression as a template string
 * ({@code "${var.x}"}, {@code "${merge(local.a, {...})}"}); only the expression parts are searched, never literal
 * text, so {@code "logs.amazonaws.com"} or {@code "s3:PutObject"} inside a jsonencode call are not references.
 */
final class Expressions {
    static final Pattern VAR = Pattern.compile("(?<![\\w.])var\\.([A-Za-z_][\\w-]*)");
    static final Pattern LOCAL = Pattern.compile("(?<![\\w.])local\\.([A-Za-z_][\\w-]*)");
    static final Pattern MODULE = Pattern.compile("(?<![\\w.])module\\.([A-Za-z_][\\w-]*)");
    static final Pattern DATA = Pattern.compile("(?<![\\w.])data\\.([A-Za-z][\\w]*)\\.([A-Za-z_][\\w-]*)");
    /** Resource references: provider_type.name. Types always contain an underscore. */
    static final Pattern RESOURCE = Pattern.compile("(?<![\\w.])([a-z][a-z0-9]*_[a-z0-9_]+)\\.([A-Za-z_][\\w-]*)");

    private Expressions() {
    }

    /** Every textual value (and object key) below node, depth first. */
    static void strings(JsonNode node, Consumer<String> sink) {
        if (node == null) {
            return;
        }
        if (node.isTextual()) {
            sink.accept(node.asText());
        } else if (node.isArray()) {
            node.forEach(n -> strings(n, sink));
        } else if (node.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                var e = it.next();
                if (e.getKey().contains("${")) {
                    sink.accept(e.getKey());
                }
                strings(e.getValue(), sink);
            }
        }
    }

    /** The expression parts of a template string, literal text replaced by spaces. */
    static String expressionText(String template) {
        StringBuilder out = new StringBuilder();
        int i = 0;
        while (i < template.length()) {
            if (template.startsWith("$${", i) || template.startsWith("%%{", i)) {
                i += 3;
            } else if (template.startsWith("${", i) || template.startsWith("%{", i)) {
                out.append(' ');
                i = scanExpression(template, i + 2, out);
            } else {
                i++;
            }
        }
        return out.toString();
    }

    private static int scanExpression(String s, int j, StringBuilder out) {
        int depth = 0;
        while (j < s.length()) {
            char c = s.charAt(j);
            if (c == '"') {
                out.append(' ');
                j = scanQuoted(s, j + 1, out);
                continue;
            }
            if (c == '#' || (c == '/' && j + 1 < s.length() && s.charAt(j + 1) == '/')) {
                while (j < s.length() && s.charAt(j) != '\n') {
                    j++;
                }
                continue;
            }
            if (c == '{' || c == '(' || c == '[') {
                depth++;
            } else if (c == '}' || c == ')' || c == ']') {
                if (depth == 0) {
                    out.append(' ');
                    return j + 1;
                }
                depth--;
            }
            out.append(c);
            j++;
        }
        return j;
    }

    private static int scanQuoted(String s, int j, StringBuilder out) {
        while (j < s.length()) {
            char c = s.charAt(j);
            if (c == '\\') {
                j += 2;
            } else if (c == '"') {
                out.append(' ');
                return j + 1;
            } else if (s.startsWith("$${", j) || s.startsWith("%%{", j)) {
                j += 3;
            } else if (s.startsWith("${", j) || s.startsWith("%{", j)) {
                out.append(' ');
                j = scanExpression(s, j + 2, out);
            } else {
                j++;
            }
        }
        return j;
    }

    /** All group(1) matches of pattern in the expression parts of every string below node. */
    static Set<String> references(JsonNode node, Pattern pattern) {
        Set<String> found = new LinkedHashSet<>();
        strings(node, s -> {
            Matcher m = pattern.matcher(expressionText(s));
            while (m.find()) {
                found.add(m.groupCount() >= 2 ? m.group(1) + "." + m.group(2) : m.group(1));
            }
        });
        return found;
    }

    /** Blocks of a given kind in a block body, static or dynamic ("dynamic" blocks yield their content). */
    static List<JsonNode> blocks(JsonNode body, String kind) {
        List<JsonNode> out = new ArrayList<>();
        JsonNode stat = body.get(kind);
        if (stat != null) {
            if (stat.isArray()) {
                stat.forEach(out::add);
            } else {
                out.add(stat);
            }
        }
        JsonNode dyn = body.path("dynamic").path(kind);
        if (dyn.isArray()) {
            for (JsonNode d : dyn) {
                d.path("content").forEach(out::add);
            }
        }
        return out;
    }

    /** Names of dynamic blocks and explicit iterators anywhere below node: their .key/.value are not resources. */
    static void dynamicIterators(JsonNode node, Set<String> sink) {
        if (node == null || !node.isContainerNode()) {
            return;
        }
        if (node.isObject()) {
            JsonNode dyn = node.get("dynamic");
            if (dyn != null && dyn.isObject()) {
                dyn.fieldNames().forEachRemaining(sink::add);
                dyn.forEach(list -> list.forEach(d -> {
                    if (d.path("iterator").isTextual()) {
                        sink.add(d.path("iterator").asText());
                    }
                }));
            }
        }
        node.forEach(n -> dynamicIterators(n, sink));
    }
}
