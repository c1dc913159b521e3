package io.lagsnap.it.security;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.security.auth.callback.Callback;
import javax.security.auth.callback.UnsupportedCallbackException;
import javax.security.auth.login.AppConfigurationEntry;
import org.apache.kafka.common.security.auth.AuthenticateCallbackHandler;
import org.apache.kafka.common.security.oauthbearer.OAuthBearerToken;
import org.apache.kafka.common.security.oauthbearer.OAuthBearerValidatorCallback;

/**
 * Broker side of Google Managed Service for Apache Kafka's OAUTHBEARER, a stand-in (Google's brokers cannot run
 * here). Google's login handler sends {@code b64(header).b64(claims).b64(access token)} with header alg
 * {@code GOOG_OAUTH2_TOKEN}; Google checks the access token and takes the principal from {@code sub}. This
 * validator accepts exactly the access token named by its JAAS option {@code accessToken}, the one the test's
 * token endpoint issued, so a principal is authenticated only by a token that really came from that endpoint.
 */
public final class ManagedKafkaTokenValidator implements AuthenticateCallbackHandler {
    private static final ObjectMapper JSON = new ObjectMapper();
    private String accessToken;

    @Override
    public void configure(Map<String, ?> configs, String saslMechanism, List<AppConfigurationEntry> jaasEntries) {
        accessToken = (String) jaasEntries.get(0).getOptions().get("accessToken");
    }

    @Override
    public void handle(Callback[] callbacks) throws IOException, UnsupportedCallbackException {
        for (Callback callback : callbacks) {
            if (!(callback instanceof OAuthBearerValidatorCallback v)) {
                throw new UnsupportedCallbackException(callback);
            }
            String[] parts = v.tokenValue().split("\\.");
            if (parts.length != 3 || !"GOOG_OAUTH2_TOKEN".equals(JSON.readTree(decode(parts[0])).path("alg").asText())
                    || !accessToken.equals(decode(parts[2]))) {
                v.error("invalid_token", null, null);
                continue;
            }
            JsonNode claims = JSON.readTree(decode(parts[1]));
            v.token(new Token(v.tokenValue(), claims.get("sub").asText(), claims.get("iat").asLong() * 1000,
                    claims.get("exp").asLong() * 1000));
        }
    }

    private static String decode(String part) {
        return new String(Base64.getUrlDecoder().decode(part), StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
    }

    private record Token(String value, String principalName, Long startTimeMs, long lifetimeMs)
            implements OAuthBearerToken {
        @Override
        public Set<String> scope() {
            return Set.of("kafka");
        }
    }
}
