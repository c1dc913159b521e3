package io.lagsnap.sink.pushgateway;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;

/** How pushes authenticate: not at all, HTTP basic, or a bearer token. Never printed: it holds the secret. */
sealed interface PushAuth {
    PushAuth NONE = new None();

    static PushAuth basic(String username, String password) {
        return new Basic(username, password);
    }

    static PushAuth bearer(String token) {
        return new Bearer(token);
    }

    /** The Authorization header's value, if any. */
    Optional<String> header();

    record None() implements PushAuth {
        @Override
        public Optional<String> header() {
            return Optional.empty();
        }
    }

    record Basic(String username, String password) implements PushAuth {
        @Override
        public Optional<String> header() {
            return Optional.of("Basic " + Base64.getEncoder()
                    .encodeToString((username + ":" + password).getBytes(StandardCharsets.UTF_8)));
        }

        @Override
        public String toString() {
            return "Basic[" + username + "]";
        }
    }

    record Bearer(String token) implements PushAuth {
        @Override
        public Optional<String> header() {
            return Optional.of("Bearer " + token);
        }

        @Override
        public String toString() {
            return "Bearer[redacted]";
        }
    }
}
