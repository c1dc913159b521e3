package io.lagsnap.core.sink;

import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;

/** Service providers found on the class path, by the key each declares (a sink type, a URL scheme). */
public final class Providers {
    private Providers() {
    }

    /**
     * The providers by key. Two of one key would leave which one wins to class-path order, so they are an error
     * naming both classes.
     *
     * @param what what the providers are and what their key is, e.g. {@code "sink providers of type"}
     */
    public static <P> Map<String, P> byKey(Iterable<P> found, Function<P, String> key, String what) {
        Map<String, P> out = new TreeMap<>();
        for (P p : found) {
            P other = out.putIfAbsent(key.apply(p), p);
            if (other != null) {
                throw new IllegalStateException("two " + what + " \"" + key.apply(p) + "\" on the class path: "
                        + other.getClass().getName() + " and " + p.getClass().getName());
            }
        }
        return out;
    }
}
