package io.lagsnap.core.config;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The line each key path of a TOML document starts on, in the loader's notation: {@code exporter.granularity},
 * {@code sinks[1].url}, {@code clusters[0].topic_blacklist[2]}. Jackson's TOML parser builds a tree without
 * locations, so this is a second, small pass over text the parser has already accepted: it follows table headers,
 * dotted and quoted keys, arrays of tables, inline tables and arrays, and skips over string and scalar values.
 */
final class TomlKeyLines {
    private final String text;
    private final Map<String, Integer> lines = new HashMap<>();
    /** How many {@code [[x]]} tables each array-of-tables path has had so far. */
    private final Map<String, Integer> arrayTables = new HashMap<>();
    private int pos;
    private int line = 1;

    private TomlKeyLines(String text) {
        this.text = text;
    }

    /** @param toml a document Jackson's TOML parser has accepted */
    static Map<String, Integer> of(String toml) {
        TomlKeyLines scan = new TomlKeyLines(toml);
        scan.document();
        return Map.copyOf(scan.lines);
    }

    /** The line of {@code path}, else of the nearest enclosing key or table (where a missing key belongs), else 0. */
    static int lineOf(Map<String, Integer> lines, String path) {
        for (String p = path; !p.isEmpty(); p = parent(p)) {
            Integer l = lines.get(p);
            if (l != null) {
                return l;
            }
        }
        return 0;
    }

    private static String parent(String path) {
        int cut = Math.max(path.lastIndexOf('.'), path.lastIndexOf('['));
        return cut < 0 ? "" : path.substring(0, cut);
    }

    private void document() {
        String table = "";
        while (skipBlank()) {
            int at = line;
            if (peek() == '[') {
                boolean arrayTable = text.startsWith("[[", pos);
                pos += arrayTable ? 2 : 1;
                table = header(keys(), arrayTable, at);
                skipSpaces();
                pos += arrayTable ? 2 : 1;
            } else {
                String path = keyValuePath(table, at);
                value(path);
            }
        }
    }

    /** Resolves a header's keys, indexing arrays of tables by their latest entry, and records each prefix. */
    private String header(List<String> keys, boolean arrayTable, int at) {
        String path = "";
        for (int k = 0; k < keys.size(); k++) {
            path = join(path, keys.get(k));
            lines.putIfAbsent(path, at);
            if (k == keys.size() - 1 && arrayTable) {
                path = path + "[" + (arrayTables.merge(path, 1, Integer::sum) - 1) + "]";
            } else if (arrayTables.containsKey(path)) {
                path = path + "[" + (arrayTables.get(path) - 1) + "]";
            }
            lines.putIfAbsent(path, at);
        }
        return path;
    }

    /** Reads {@code key.sub = }, records each dotted prefix under {@code table}, and returns the full path. */
    private String keyValuePath(String table, int at) {
        String path = table;
        for (String key : keys()) {
            path = join(path, key);
            lines.putIfAbsent(path, at);
        }
        skipSpaces();
        pos++; // '='
        return path;
    }

    private List<String> keys() {
        List<String> keys = new ArrayList<>();
        while (true) {
            skipSpaces();
            keys.add(key());
            skipSpaces();
            if (peek() != '.') {
                return keys;
            }
            pos++;
        }
    }

    private String key() {
        char c = peek();
        if (c == '"' || c == '\'') {
            StringBuilder key = new StringBuilder();
            pos++;
            while (pos < text.length() && peek() != c) {
                if (c == '"' && peek() == '\\') {
                    pos++;
                }
                key.append(next());
            }
            pos++;
            return key.toString();
        }
        int start = pos;
        while (pos < text.length() && (Character.isLetterOrDigit(peek()) || peek() == '_' || peek() == '-')) {
            pos++;
        }
        return text.substring(start, pos);
    }

    private void value(String path) {
        skipSpaces();
        if (pos >= text.length()) {
            return;
        }
        char c = peek();
        if (c == '"' || c == '\'') {
            string(c);
        } else if (c == '[') {
            pos++;
            for (int i = 0; skipBlank() && peek() != ']'; i++) {
                lines.putIfAbsent(path + "[" + i + "]", line);
                value(path + "[" + i + "]");
                skipBlank();
                if (peek() == ',') {
                    pos++;
                }
            }
            pos++;
        } else if (c == '{') {
            pos++;
            skipSpaces();
            while (pos < text.length() && peek() != '}') {
                value(keyValuePath(path, line));
                skipSpaces();
                if (peek() == ',') {
                    pos++;
                    skipSpaces();
                }
            }
            pos++;
        } else {
            // numbers, booleans, dates (which may hold a space): up to the next delimiter
            while (pos < text.length() && ",]}#\r\n".indexOf(peek()) < 0) {
                pos++;
            }
        }
    }

    private void string(char quote) {
        String triple = String.valueOf(quote).repeat(3);
        boolean multiLine = text.startsWith(triple, pos);
        pos += multiLine ? 3 : 1;
        while (pos < text.length()) {
            if (quote == '"' && peek() == '\\') {
                next();
                next();
            } else if (multiLine ? text.startsWith(triple, pos) : peek() == quote) {
                pos += multiLine ? 3 : 1;
                // a multi-line string may end in up to two more quotes of its own
                while (multiLine && pos < text.length() && peek() == quote) {
                    pos++;
                }
                return;
            } else {
                next();
            }
        }
    }

    /** Skips spaces, line breaks and comments; false at the end of the text. */
    private boolean skipBlank() {
        while (pos < text.length()) {
            char c = peek();
            if (c == '#') {
                while (pos < text.length() && peek() != '\n') {
                    pos++;
                }
            } else if (Character.isWhitespace(c)) {
                next();
            } else {
                return true;
            }
        }
        return false;
    }

    private void skipSpaces() {
        while (pos < text.length() && (peek() == ' ' || peek() == '\t')) {
            pos++;
        }
    }

    /** The current character; NUL past the end, which no branch takes. */
    private char peek() {
        return pos < text.length() ? text.charAt(pos) : '\0';
    }

    private char next() {
        char c = text.charAt(pos++);
        if (c == '\n') {
            line++;
        }
        return c;
    }

    private static String join(String prefix, String key) {
        return prefix.isEmpty() ? key : prefix + "." + key;
    }
}
