package io.lagsnap.it.security;

import io.lagsnap.testkit.KafkaBroker;
import io.lagsnap.testkit.PemCa;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.admin.UserScramCredentialUpsertion;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AccessControlEntryFilter;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclBindingFilter;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourcePatternFilter;
import org.apache.kafka.common.resource.ResourceType;

/**
 * An embedded broker secured as production clusters are: an authorizer that denies what no ACL allows, and next
 * to the test kit's PLAINTEXT listener (whose anonymous principal is the only super user, so scenarios and ACL
 * changes go through it) the listeners lagsnap connects to: SCRAM-SHA-512 over TLS, mutual TLS, OAUTHBEARER with
 * Kafka's unsecured JWS tokens (the only OAuth flavour that needs no identity provider), and OAUTHBEARER with
 * Google Managed Kafka's token format.
 */
final class SecureBroker {
    static final String SCRAM = "SCRAM";
    static final String MTLS = "MTLS";
    static final String OAUTH = "OAUTH";
    /** OAUTHBEARER as Google Managed Kafka does it, validated by {@link ManagedKafkaTokenValidator}. */
    static final String GCP = "GCP";
    /** The only access token the GCP listener accepts: the test's token endpoint issues it. */
    static final String GCP_ACCESS_TOKEN = "ya29.lagsnap-test-" + Long.toHexString(System.nanoTime());

    /** What the README's least-privilege section documents: all lagsnap needs for a full snapshot. */
    static final List<ResourceAcl> DOCUMENTED_ACLS = List.of(
            new ResourceAcl(ResourceType.GROUP, AclOperation.DESCRIBE),
            new ResourceAcl(ResourceType.TOPIC, AclOperation.DESCRIBE),
            new ResourceAcl(ResourceType.TOPIC, AclOperation.DESCRIBE_CONFIGS),
            new ResourceAcl(ResourceType.TOPIC, AclOperation.READ));

    /** One operation on every resource of a type ({@code *}); a prefix or literal pattern works alike. */
    record ResourceAcl(ResourceType type, AclOperation operation) {
    }

    private SecureBroker() {
    }

    static Map<String, String> serverProps(PemCa ca) {
        Map<String, String> p = new HashMap<>();
        p.put("listeners", "EXTERNAL://localhost:0,CONTROLLER://localhost:0,SCRAM://localhost:0,"
                + "MTLS://localhost:0,OAUTH://localhost:0,GCP://localhost:0");
        p.put("listener.security.protocol.map", "EXTERNAL:PLAINTEXT,CONTROLLER:PLAINTEXT,SCRAM:SASL_SSL,MTLS:SSL,"
                + "OAUTH:SASL_PLAINTEXT,GCP:SASL_PLAINTEXT");
        p.putAll(ca.brokerTls());
        p.put("listener.name.mtls.ssl.client.auth", "required");
        p.put("listener.name.scram.sasl.enabled.mechanisms", "SCRAM-SHA-512");
        p.put("listener.name.scram.scram-sha-512.sasl.jaas.config",
                "org.apache.kafka.common.security.scram.ScramLoginModule required;");
        p.put("listener.name.oauth.sasl.enabled.mechanisms", "OAUTHBEARER");
        // no server callback handler configured: Kafka validates unsecured (alg "none") tokens, for tests only
        p.put("listener.name.oauth.oauthbearer.sasl.jaas.config",
                "org.apache.kafka.common.security.oauthbearer.OAuthBearerLoginModule required "
                        + "unsecuredLoginStringClaim_sub=\"broker\";");
        p.put("listener.name.gcp.sasl.enabled.mechanisms", "OAUTHBEARER");
        p.put("listener.name.gcp.oauthbearer.sasl.jaas.config",
                "org.apache.kafka.common.security.oauthbearer.OAuthBearerLoginModule required "
                        + "unsecuredLoginStringClaim_sub=\"broker\" accessToken=\"" + GCP_ACCESS_TOKEN + "\";");
        p.put("listener.name.gcp.oauthbearer.sasl.server.callback.handler.class",
                ManagedKafkaTokenValidator.class.getName());
        p.put("authorizer.class.name", "org.apache.kafka.metadata.authorizer.StandardAuthorizer");
        p.put("allow.everyone.if.no.acl.found", "false");
        p.put("super.users", "User:ANONYMOUS");
        return p;
    }

    /** Client properties (lagsnap's consumer_properties) for TLS against the CA's broker certificate. */
    static Map<String, String> trusting(PemCa ca) {
        return Map.of("ssl.truststore.type", "PKCS12",
                "ssl.truststore.location", ca.truststore().toString(),
                "ssl.truststore.password", ca.storePassword());
    }

    static void scramUser(KafkaBroker broker, String user, String password) throws Exception {
        broker.admin().alterUserScramCredentials(List.of(new UserScramCredentialUpsertion(user,
                new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_512, 8192), password))).all().get();
        awaitUntil(() -> broker.admin().describeUserScramCredentials(List.of(user)).all().get().containsKey(user));
    }

    /** Allows {@code principal} each operation on every resource of its type, and waits until the broker sees it. */
    static void grant(KafkaBroker broker, String principal, List<ResourceAcl> acls) throws Exception {
        List<AclBinding> bindings = new ArrayList<>();
        for (ResourceAcl acl : acls) {
            bindings.add(new AclBinding(new ResourcePattern(acl.type(), "*", PatternType.LITERAL),
                    new AccessControlEntry(principal, "*", acl.operation(), AclPermissionType.ALLOW)));
        }
        Admin admin = broker.admin();
        admin.createAcls(bindings).all().get();
        AclBindingFilter mine = new AclBindingFilter(ResourcePatternFilter.ANY,
                new AccessControlEntryFilter(principal, null, AclOperation.ANY, AclPermissionType.ANY));
        awaitUntil(() -> new HashSet<>(admin.describeAcls(mine).values().get()).containsAll(Set.copyOf(bindings)));
    }

    private interface Check {
        boolean done() throws Exception;
    }

    private static void awaitUntil(Check check) throws Exception {
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        while (!check.done()) {
            if (System.nanoTime() > until) {
                throw new IllegalStateException("the broker did not apply the change within 15 s");
            }
            Thread.sleep(50);
        }
    }
}
