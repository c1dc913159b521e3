package io.lagsnap.sink.pushgateway;

import io.prometheus.metrics.exporter.pushgateway.PushGateway;

/** How pushes authenticate: not at all, HTTP basic, or a bearer token. Never printed: it holds the secret. */
sealed interface PushAuth {
    PushAuth NONE = new None();

    static PushAuth basic(String username, String password) {
        return new Basic(username, password);
    }

    static PushAuth bearer(String token) {
        return new Bearer(token);
    }

    PushGateway.Builder applyTo(PushGateway.Builder builder);

    record None() implements PushAuth {
        @Override
        public PushGateway.Builder applyTo(PushGateway.Builder builder) {
            return builder;
        }
    }

    record Basic(String username, String password) implements PushAuth {
        @Override
        public PushGateway.Builder applyTo(PushGateway.Builder builder) {
            return builder.basicAuth(username, password);
        }

        @Override
        public String toString() {
            return "Basic[" + username + "]";
        }
    }

    record Bearer(String token) implements PushAuth {
        @Override
        public PushGateway.Builder applyTo(PushGateway.Builder builder) {
            return builder.bearerToken(token);
        }

        @Override
        public String toString() {
            return "Bearer[redacted]";
        }
    }
}
