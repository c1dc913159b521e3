package io.lagsnap.testkit;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.admin.UserScramCredentialUpsertion;

/**
 * Broker settings for the secured listeners a first run meets, next to the test kit's PLAINTEXT one: {@link #SASL_SSL}
 * with PLAIN and SCRAM-SHA-256/512 over TLS, and {@link #MTLS} requiring a client certificate, both with a broker
 * certificate from a {@link PemCa}. No authorizer: these listeners test connecting and logging in, not ACLs.
 */
public final class SecureListeners {
    public static final String SASL_SSL = "SASLSSL";
    public static final String MTLS = "MTLS";

    private SecureListeners() {
    }

    /** Server properties; {@code plainUsers} are the PLAIN user names and passwords the broker accepts. */
    public static Map<String, String> serverProps(PemCa ca, Map<String, String> plainUsers) {
        Map<String, String> p = new HashMap<>();
        p.put("listeners", "EXTERNAL://localhost:0,CONTROLLER://localhost:0," + SASL_SSL + "://localhost:0,"
                + MTLS + "://localhost:0");
        p.put("listener.security.protocol.map", "EXTERNAL:PLAINTEXT,CONTROLLER:PLAINTEXT," + SASL_SSL + ":SASL_SSL,"
                + MTLS + ":SSL");
        p.putAll(ca.brokerTls());
        String listener = "listener.name." + SASL_SSL.toLowerCase();
        p.put(listener + ".sasl.enabled.mechanisms", "PLAIN,SCRAM-SHA-256,SCRAM-SHA-512");
        StringBuilder plain = new StringBuilder("org.apache.kafka.common.security.plain.PlainLoginModule required");
        plainUsers.forEach((user, password) -> plain.append(" user_").append(user).append("=\"").append(password)
                .append('"'));
        p.put(listener + ".plain.sasl.jaas.config", plain.append(';').toString());
        for (String scram : List.of("scram-sha-256", "scram-sha-512")) {
            p.put(listener + "." + scram + ".sasl.jaas.config",
                    "org.apache.kafka.common.security.scram.ScramLoginModule required;");
        }
        p.put("listener.name." + MTLS.toLowerCase() + ".ssl.client.auth", "required");
        return p;
    }

    /** Adds a SCRAM user for both SHA-256 and SHA-512 and waits until the broker has it. */
    public static void scramUser(KafkaBroker broker, String user, String password) throws Exception {
        // one request may alter a user once, so one request per mechanism
        for (ScramMechanism mechanism : List.of(ScramMechanism.SCRAM_SHA_256, ScramMechanism.SCRAM_SHA_512)) {
            broker.admin().alterUserScramCredentials(List.of(new UserScramCredentialUpsertion(user,
                    new ScramCredentialInfo(mechanism, 4096), password))).all().get();
        }
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        while (broker.admin().describeUserScramCredentials(List.of(user)).all().get()
                .getOrDefault(user, new org.apache.kafka.clients.admin.UserScramCredentialsDescription(user, List.of()))
                .credentialInfos().size() < 2) {
            if (System.nanoTime() > until) {
                throw new IllegalStateException("the broker did not apply SCRAM user " + user + " within 15 s");
            }
            Thread.sleep(50);
        }
    }
}
