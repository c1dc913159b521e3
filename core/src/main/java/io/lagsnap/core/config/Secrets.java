package io.lagsnap.core.config;

import io.lagsnap.sink.api.config.SinkConfig;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The secret values of a config, so that no log line, run report or sink payload carries them. A key is secret
 * when its name says so (password, secret, token, jaas, credential, api key, authorization); JAAS strings also
 * yield the quoted values inside them.
 */
public final class Secrets {
    private static final Pattern SECRET_KEY =
            Pattern.compile("password|secret|token|jaas|credential|api[._-]?key|authorization|private[._-]?key|keystore[._-]key");
    private static final Pattern JAAS_VALUE = Pattern.compile("=\\s*\"([^\"]*)\"");
    private static final String MASK = "[redacted]";

    /** Longest first, so a secret containing another is masked whole. */
    private volatile List<String> values;

    private Secrets(List<String> values) {
        this.values = List.copyOf(values);
    }

    public static boolean isSecretKey(String key) {
        return SECRET_KEY.matcher(key.toLowerCase(Locale.ROOT)).find();
    }

    public static Secrets of(LagsnapConfig config) {
        List<String> found = new ArrayList<>();
        for (ClusterConfig c : config.clusters()) {
            collect(c.consumerProperties(), false, found);
        }
        for (SinkConfig s : config.sinks()) {
            collect(s.options(), false, found);
        }
        found.sort(LONGEST_FIRST);
        return new Secrets(found);
    }

    private static final Comparator<String> LONGEST_FIRST = Comparator.comparingInt(String::length).reversed();

    /** Adds a secret resolved outside the config (a token read from the environment by a sink). Thread-safe. */
    public synchronized void register(String secret) {
        if (secret == null || secret.length() < 3 || values.contains(secret)) {
            return;
        }
        List<String> sorted = new ArrayList<>(values);
        sorted.add(secret);
        sorted.sort(LONGEST_FIRST);
        values = List.copyOf(sorted);
    }

    private static void collect(Map<?, ?> map, boolean underSecretKey, List<String> out) {
        map.forEach((k, v) -> {
            boolean secret = underSecretKey || isSecretKey(String.valueOf(k));
            if (v instanceof Map<?, ?> m) {
                collect(m, secret, out);
            } else if (secret && v != null) {
                String s = String.valueOf(v);
                add(s, out);
                Matcher m = JAAS_VALUE.matcher(s);
                while (m.find()) {
                    add(m.group(1), out);
                }
                // "Bearer abc" headers: the credential alone may be echoed back by a server
                int space = s.indexOf(' ');
                if (space > 0) {
                    add(s.substring(space + 1).trim(), out);
                }
            }
        });
    }

    private static void add(String s, List<String> out) {
        if (s.length() >= 3 && !out.contains(s)) {
            out.add(s);
        }
    }

    /** The text with every secret value replaced; null stays null. */
    public String scrub(String text) {
        if (text == null) {
            return null;
        }
        String out = text;
        for (String v : values) {
            out = out.replace(v, MASK);
        }
        return out;
    }

    /** Client properties safe to log: secret keys keep their name, lose their value. */
    public static Map<String, String> redacted(Map<String, String> properties) {
        Map<String, String> out = new LinkedHashMap<>();
        properties.forEach((k, v) -> out.put(k, isSecretKey(k) ? MASK : v));
        return out;
    }
}
