package io.lagsnap.sink.api.config;

/**
 * Text a remote server sent (an error body, a status description), fit to quote in a message: one line, at most
 * {@value #MAX} characters. A server may echo the request back, headers and all; the run's scrubber masks the
 * secrets it knows, and the cut keeps a hostile or chatty server from filling logs and reports.
 */
public final class ServerText {
    public static final int MAX = 200;

    private ServerText() {
    }

    /**
     * The text with line breaks flattened, cut to at most {@value #MAX} characters with a note of how much was left
     * out. The cut never falls inside a word of token characters (letters, digits, {@code - . _ ~ + / =}): the
     * scrubber masks a secret only whole, so half of an echoed token would reach the report unmasked.
     */
    public static String excerpt(String text) {
        if (text == null) {
            return null;
        }
        String flat = text.replaceAll("\\s*[\\r\\n]+\\s*", " ").strip();
        if (flat.length() <= MAX) {
            return flat;
        }
        int cut = MAX;
        while (cut > 0 && isTokenChar(flat.charAt(cut - 1)) && isTokenChar(flat.charAt(cut))) {
            cut--;
        }
        return flat.substring(0, cut) + "… (" + (flat.length() - cut) + " more chars)";
    }

    private static boolean isTokenChar(char c) {
        return Character.isLetterOrDigit(c) || "-._~+/=".indexOf(c) >= 0;
    }
}
