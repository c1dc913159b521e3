package io.lagsnap.bench;

/** What the benchmark times, on the same cluster in the same run. */
public enum Subject {
    LAGSNAP_CYCLE("lagsnap cycle", "in-process Runner with the default granularity (topic): collect with time lag, "
            + "snapshot, NDJSON rows + Prometheus text files"),
    LAGSNAP_CYCLE_NO_TIME_LAG("lagsnap cycle, no time lag", "as above with timestamp sampling disabled"),
    LAGSNAP_CYCLE_PARTITION_SERIES("lagsnap cycle, partition series",
            "as the first with granularity = \"partition\": six more series per group-partition"),
    KAFKA_DESCRIBE("kafka describe", "in-process ConsumerGroupCommand.main(--describe --all-groups), output discarded"),
    LAGSNAP_CLI_PLAIN("lagsnap CLI, plain java -jar", "java -Xmx256m -jar lagsnap.jar with the first config, "
            + "JVM start to exit"),
    LAGSNAP_CLI_TUNED("lagsnap CLI, recommended flags", "as above through the launcher beside the jar: the AppCDS "
            + "archive and the launcher's flags"),
    LAGSNAP_CLI_TUNED_PARTITION_SERIES("lagsnap CLI, recommended flags, partition series",
            "as above with granularity = \"partition\" (the largest heap)"),
    KAFKA_DESCRIBE_CLI("kafka describe cold",
            "java -Xmx256M -XX:+UseG1GC ConsumerGroupCommand (kafka-consumer-groups.sh's JVM options), "
                    + "JVM start to exit");

    private final String label;
    private final String description;

    Subject(String label, String description) {
        this.label = label;
        this.description = description;
    }

    public String label() {
        return label;
    }

    public String description() {
        return description;
    }
}
