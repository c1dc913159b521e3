package io.lagsnap.cli;

import io.lagsnap.core.config.ClusterConfig;
import io.lagsnap.core.config.LagsnapConfig;
import io.lagsnap.core.kafka.ConnectBudget;
import io.lagsnap.core.kafka.TimestampSampler;
import io.lagsnap.core.report.RunReport;
import io.lagsnap.core.run.Runner;
import io.lagsnap.sink.api.Deadline;
import io.lagsnap.sink.api.config.ConfigException;
import io.lagsnap.sink.api.model.Shard;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.UnaryOperator;
import javax.security.auth.login.AppConfigurationEntry;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ConsumerGroupListing;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.security.JaasContext;
import org.apache.kafka.common.security.ssl.DefaultSslEngineFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code lagsnap validate}: loads the config, builds every sink and each cluster's Kafka client configuration (typed
 * properties, the JAAS login, the TLS stores) without connecting. With {@code --connect} it then proves each cluster:
 * the connect budget's checks, listing the groups and describing one kept topic, with one verdict line per cluster.
 */
@Command(name = "validate", mixinStandardHelpOptions = true,
        description = {"Checks the configuration, every sink table and each cluster's Kafka client settings "
                + "without connecting anywhere.",
            "With --connect, also connects to each cluster: lists its groups and describes one topic."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:valid (and, with --connect, every cluster answered)",
            "1:--connect: some cluster failed its check",
            "2:invalid configuration or arguments"})
final class ValidateCommand implements Callable<Integer> {
    @Option(names = {"-c", "--config"}, required = true, paramLabel = "FILE", description = "config.toml (required)")
    Path config;

    @Option(names = "--connect", description = "connect to each cluster: list groups, describe one topic")
    boolean connect;

    private final UnaryOperator<String> env;
    private final PrintWriter err;

    ValidateCommand(UnaryOperator<String> env, PrintWriter err) {
        this.env = env;
        this.err = err;
    }

    /** One cluster's --connect outcome, printed as its verdict line. */
    private record Verdict(boolean ok, String text) {
    }

    @Override
    public Integer call() {
        Runner runner = new Runner(io.lagsnap.core.sink.SinkRegistry.load(), env);
        LagsnapConfig loaded = LagsnapCli.load(config, env, err, c -> {
            List<ConfigException.Problem> problems = new ArrayList<>();
            try {
                runner.validate(c, Shard.ALL);
            } catch (ConfigException e) {
                problems.addAll(e.problems());
            }
            for (ClusterConfig cluster : c.clusters()) {
                try {
                    clientConfig(c.source(), cluster);
                } catch (ConfigException e) {
                    problems.addAll(e.problems());
                }
            }
            if (!problems.isEmpty()) {
                throw new ConfigException(problems);
            }
        });
        err.println("lagsnap: " + config + " is valid: " + loaded.clusters().size() + " cluster(s), "
                + loaded.sinks().size() + " sink(s)");
        if (!connect) {
            return RunReport.EXIT_OK;
        }
        Deadline deadline = Deadline.after(loaded.run().deadline());
        int failed = 0;
        for (ClusterConfig c : loaded.clusters()) {
            Verdict v = prove(c, loaded, deadline);
            err.println("lagsnap: cluster " + c.name() + ": " + (v.ok() ? "OK: " : "FAILED: ") + v.text());
            failed += v.ok() ? 0 : 1;
        }
        return failed == 0 ? RunReport.EXIT_OK : RunReport.EXIT_PARTIAL;
    }

    /**
     * What the Admin client would build from the cluster's properties, without its network threads: typed values,
     * the JAAS login module (present and loadable) for SASL, the keystore and truststore for TLS.
     */
    static void clientConfig(String source, ClusterConfig cluster) {
        String where = source + ": cluster \"" + cluster.name() + "\": consumer_properties: ";
        Map<String, Object> props = new HashMap<>(cluster.consumerProperties());
        props.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers());
        AdminClientConfig config;
        try {
            config = new AdminClientConfig(props);
            Properties consumer = new Properties();
            consumer.putAll(props);
            TimestampSampler.checkConsumerConfig(consumer);
        } catch (KafkaException e) {
            throw new ConfigException(where + e.getMessage());
        }
        String protocol = config.getString(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG).toUpperCase(Locale.ROOT);
        if (protocol.startsWith("SASL")) {
            try {
                for (AppConfigurationEntry entry : JaasContext.loadClientContext(config.values())
                        .configurationEntries()) {
                    Class.forName(entry.getLoginModuleName());
                }
            } catch (IllegalArgumentException | KafkaException e) {
                throw new ConfigException(where + "sasl.jaas.config: " + e.getMessage());
            } catch (ClassNotFoundException e) {
                throw new ConfigException(where + "sasl.jaas.config: login module " + e.getMessage()
                        + " is not on lagsnap's class path");
            }
        }
        if (protocol.endsWith("SSL")) {
            try (DefaultSslEngineFactory ssl = new DefaultSslEngineFactory()) {
                ssl.configure(config.values());
                // cipher suites and protocols are applied to an engine only (OpenSSL-style names fail here)
                ssl.createClientSslEngine("localhost", 0, "");
            } catch (IllegalArgumentException e) {
                throw new ConfigException(where + "TLS settings: " + e.getMessage());
            } catch (KafkaException e) {
                Throwable root = e;
                while (root.getCause() != null) {
                    root = root.getCause();
                }
                throw new ConfigException(where + "TLS settings: " + e.getMessage()
                        + (root != e ? ": " + root.getMessage() : ""));
            }
        }
    }

    /** The connect budget's checks, then ListGroups and one DescribeTopics. */
    private static Verdict prove(ClusterConfig cluster, LagsnapConfig loaded, Deadline deadline) {
        Optional<String> unusable = new ConnectBudget(cluster, loaded.exporter().performance()).check(deadline);
        if (unusable.isPresent()) {
            return new Verdict(false, unusable.get());
        }
        Map<String, Object> props = new HashMap<>(cluster.consumerProperties());
        props.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers());
        props.put(CommonClientConfigs.CLIENT_ID_CONFIG, "lagsnap-validate");
        long timeout = deadline.cap(loaded.exporter().performance().kafkaTimeout()).toMillis();
        props.put(CommonClientConfigs.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) timeout);
        try (Admin admin = Admin.create(props)) {
            Collection<ConsumerGroupListing> groups = admin.listConsumerGroups().all()
                    .get(timeout, TimeUnit.MILLISECONDS);
            long kept = groups.stream().map(ConsumerGroupListing::groupId).filter(cluster::keepsGroup).count();
            Optional<String> topic = admin.listTopics().names().get(timeout, TimeUnit.MILLISECONDS).stream()
                    .filter(cluster::keepsTopic).sorted().findFirst();
            String described = "no topic passes the topic filters";
            if (topic.isPresent()) {
                TopicDescription d = admin.describeTopics(List.of(topic.get())).allTopicNames()
                        .get(timeout, TimeUnit.MILLISECONDS).get(topic.get());
                described = "described topic \"" + d.name() + "\" (" + d.partitions().size() + " partitions)";
            }
            return new Verdict(true, "listed " + groups.size() + " groups (" + kept + " kept by the filters), "
                    + described);
        } catch (ExecutionException e) {
            return new Verdict(false, e.getCause().getClass().getSimpleName() + ": " + e.getCause().getMessage());
        } catch (TimeoutException e) {
            return new Verdict(false, "no answer within " + timeout + " ms");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Verdict(false, "interrupted");
        }
    }
}
