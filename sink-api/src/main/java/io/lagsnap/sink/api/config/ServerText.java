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

    /** The text with line breaks flattened, cut to {@value #MAX} characters with a note of how much was left out. */
    public static String excerpt(String text) {
        if (text == null) {
            return null;
        }
        String flat = text.replaceAll("\\s*[\\r\\n]+\\s*", " ").strip();
        return flat.length() <= MAX ? flat : flat.substring(0, MAX) + "… (" + (flat.length() - MAX) + " more chars)";
    }
}
