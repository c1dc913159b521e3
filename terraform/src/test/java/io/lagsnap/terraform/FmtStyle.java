package io.lagsnap.terraform;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * The parts of {@code terraform fmt} style that can be checked without Terraform: two-space indentation by bracket
 * nesting, "=" of consecutive single-line attributes aligned one space after the longest name, one space after "=",
 * no tabs, no trailing whitespace, one final newline. The rules follow hclwrite's formatter (formatIndent and
 * formatCells): a line whose value opens a multi-line bracket is not an aligned attribute and ends the group.
 */
final class FmtStyle {
    private FmtStyle() {
    }

    /** What one line looks like to the formatter. */
    private record Line(int number, String text, boolean check, int net, int assignAt) {
    }

    static List<String> check(String text) {
        List<String> problems = new ArrayList<>();
        if (!text.endsWith("\n") || text.endsWith("\n\n")) {
            problems.add("end: the file must end with exactly one newline");
        }
        String[] raw = text.split("\n", -1);
        List<Line> lines = new ArrayList<>();
        Scanner scanner = new Scanner();
        for (int i = 0; i < raw.length - (text.endsWith("\n") ? 1 : 0); i++) {
            String l = raw[i];
            int n = i + 1;
            if (l.contains("\t")) {
                problems.add(n + ": tab character (indent with two spaces)");
            }
            if (l.endsWith(" ") || l.endsWith("\r")) {
                problems.add(n + ": trailing whitespace");
            }
            lines.add(scanner.line(n, l));
        }

        // Indentation: hclwrite's stack of bracket counts.
        Deque<Integer> indents = new ArrayDeque<>();
        for (Line line : lines) {
            if (!line.check() || line.text().isBlank()) {
                continue;
            }
            int expected;
            if (line.net() > 0) {
                expected = 2 * indents.size();
                indents.push(line.net());
            } else if (line.net() < 0) {
                int closed = -line.net();
                while (closed > 0 && !indents.isEmpty()) {
                    int top = indents.pop();
                    if (closed < top) {
                        indents.push(top - closed);
                        closed = 0;
                    } else {
                        closed -= top;
                    }
                }
                expected = 2 * indents.size();
            } else {
                expected = 2 * indents.size();
            }
            int actual = line.text().length() - line.text().stripLeading().length();
            if (actual != expected) {
                problems.add(line.number() + ": indented " + actual + " spaces, terraform fmt uses " + expected);
            }
        }

        // Alignment of "=" in runs of consecutive single-line attributes.
        int start = 0;
        while (start < lines.size()) {
            if (lines.get(start).assignAt() < 0) {
                start++;
                continue;
            }
            int end = start;
            while (end < lines.size() && lines.get(end).assignAt() >= 0) {
                end++;
            }
            int column = 0;
            for (int i = start; i < end; i++) {
                Line l = lines.get(i);
                column = Math.max(column, l.text().substring(0, l.assignAt()).stripTrailing().length() + 1);
            }
            for (int i = start; i < end; i++) {
                Line l = lines.get(i);
                if (l.assignAt() != column) {
                    problems.add(l.number() + ": \"=\" at column " + (l.assignAt() + 1) + ", terraform fmt aligns it"
                            + " at column " + (column + 1) + " with the neighbouring attributes");
                }
                String after = l.text().substring(l.assignAt() + 1);
                if (!after.startsWith(" ") || after.startsWith("  ")) {
                    problems.add(l.number() + ": exactly one space after \"=\"");
                }
            }
            start = end;
        }
        return problems;
    }

    /** Tracks strings, interpolations, comments and heredocs across lines. */
    private static final class Scanner {
        private static final int CODE = 0;
        private static final int STRING = 1;
        private static final int INTERP = 2;
        private final Deque<int[]> modes = new ArrayDeque<>();
        private String heredoc;

        Scanner() {
            modes.push(new int[] {CODE, 0});
        }

        Line line(int number, String text) {
            if (heredoc != null) {
                if (text.trim().equals(heredoc)) {
                    heredoc = null;
                }
                return new Line(number, text, false, 0, -1);
            }
            boolean startsInCode = modes.size() == 1;
            int net = 0;
            int firstEquals = -1;
            int netAfterEquals = 0;
            int i = 0;
            while (i < text.length()) {
                char c = text.charAt(i);
                int[] mode = modes.peek();
                int delta = 0;
                if (mode[0] == STRING) {
                    if (c == '\\') {
                        i += 2;
                        continue;
                    } else if (c == '"') {
                        modes.pop();
                    } else if ((c == '$' || c == '%') && text.startsWith("{", i + 1)
                            && !(i > 0 && text.charAt(i - 1) == c)) {
                        modes.push(new int[] {INTERP, 0});
                        delta = 1;
                        i++;
                    }
                } else {
                    if (c == '"') {
                        modes.push(new int[] {STRING, 0});
                    } else if (mode[0] == CODE && (c == '#' || text.startsWith("//", i))) {
                        break;
                    } else if (mode[0] == CODE && text.startsWith("<<", i)) {
                        String marker = text.substring(i + 2).replaceFirst("^-", "").trim();
                        if (marker.matches("[A-Za-z_]+")) {
                            heredoc = marker;
                            break;
                        }
                    } else if (c == '{' || c == '[' || c == '(') {
                        delta = 1;
                        if (mode[0] == INTERP && c == '{') {
                            mode[1]++;
                        }
                    } else if (c == '}' || c == ']' || c == ')') {
                        delta = -1;
                        if (mode[0] == INTERP && c == '}') {
                            if (mode[1] == 0) {
                                modes.pop();
                            } else {
                                mode[1]--;
                            }
                        }
                    } else if (c == '=' && firstEquals < 0 && i > 0 && text.substring(0, i).trim().length() > 0) {
                        char prev = text.charAt(i - 1);
                        char next = i + 1 < text.length() ? text.charAt(i + 1) : ' ';
                        if (next != '=' && next != '>' && prev != '=' && prev != '!' && prev != '<' && prev != '>') {
                            firstEquals = i;
                        }
                    }
                }
                net += delta;
                if (firstEquals >= 0 && i > firstEquals) {
                    netAfterEquals += delta;
                }
                i++;
            }
            int assignAt = startsInCode && firstEquals >= 0 && netAfterEquals == 0 ? firstEquals : -1;
            return new Line(number, text, startsInCode, net, assignAt);
        }
    }
}
