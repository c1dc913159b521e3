package io.lagsnap.sink.api.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.regex.Pattern;

/** The one way config URLs are parsed and shown: a message never carries a URL's user info (user:password@). */
public final class Urls {
    private static final Pattern USER_INFO = Pattern.compile("(?<=//)[^/@?#]*@");

    private Urls() {
    }

    /** The text with any {@code user:password@} part replaced by {@code ***@}. */
    public static String shown(String url) {
        return url == null ? null : USER_INFO.matcher(url).replaceAll("***@");
    }

    /** Parses {@code text}; the error names {@code at} and the parser's reason, never the user info. */
    public static URI parse(String at, String text) {
        try {
            return new URI(text);
        } catch (URISyntaxException e) {
            throw new ConfigException(at + ": \"" + shown(text) + "\" is not a URL: " + e.getReason()
                    + (e.getIndex() >= 0 ? " at index " + e.getIndex() : ""));
        }
    }
}
