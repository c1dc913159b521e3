package io.lagsnap.sink.api.config;

/** A configuration problem. The message always names the file or key and what is wrong; the CLI exits 2. */
public final class ConfigException extends RuntimeException {
    public ConfigException(String message) {
        super(message);
    }

    public ConfigException(String message, Throwable cause) {
        super(message, cause);
    }
}
