package io.lagsnap.terraform;

import java.util.LinkedHashSet;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The variables a Terraform template file (templatefile) reads: free identifiers of its ${...} and %{...}. */
final class TemplateVariables {
    private static final Set<String> KEYWORDS = Set.of("for", "in", "if", "else", "endif", "endfor", "true",
            "false", "null");
    private static final Pattern IDENT = Pattern.compile("(?<![\\w.])([A-Za-z_][\\w]*+)(?!\\s*\\()");
    private static final Pattern FOR = Pattern.compile("^\\s*for\\s+(\\w+)(?:\\s*,\\s*(\\w+))?\\s+in\\s+");

    private TemplateVariables() {
    }

    static Set<String> used(String template) {
        Set<String> used = new LinkedHashSet<>();
        Set<String> loopVars = new LinkedHashSet<>();
        int i = 0;
        while (i < template.length()) {
            if (template.startsWith("$${", i) || template.startsWith("%%{", i)) {
                i += 3;
                continue;
            }
            boolean directive = template.startsWith("%{", i);
            if (!directive && !template.startsWith("${", i)) {
                i++;
                continue;
            }
            int end = closing(template, i + 2);
            String body = template.substring(i + 2, end).replace("~", " ");
            Matcher f = FOR.matcher(body);
            if (directive && f.find()) {
                loopVars.add(f.group(1));
                if (f.group(2) != null) {
                    loopVars.add(f.group(2));
                }
                body = body.substring(f.end());
            }
            Matcher m = IDENT.matcher(Expressions.expressionText("${" + body + "}"));
            while (m.find()) {
                String id = m.group(1);
                if (!KEYWORDS.contains(id) && !loopVars.contains(id)) {
                    used.add(id);
                }
            }
            i = end + 1;
        }
        return used;
    }

    private static int closing(String s, int from) {
        int depth = 0;
        boolean quoted = false;
        for (int j = from; j < s.length(); j++) {
            char c = s.charAt(j);
            if (quoted) {
                if (c == '\\') {
                    j++;
                } else if (c == '"') {
                    quoted = false;
                }
            } else if (c == '"') {
                quoted = true;
            } else if (c == '{') {
                depth++;
            } else if (c == '}') {
                if (depth == 0) {
                    return j;
                }
                depth--;
            }
        }
        return s.length() - 1;
    }
}
