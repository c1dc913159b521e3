package io.lagsnap.bench;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.utils.Exit;
import org.apache.kafka.tools.consumer.group.ConsumerGroupCommand;

/**
 * The reference: Kafka's own {@code kafka-consumer-groups --describe --all-groups} (ConsumerGroupCommand from
 * kafka-tools), which prints offset lag only. Its output is discarded, but its rows are counted: it must have seen
 * every group-partition for its time to count.
 */
final class KafkaDescribe {
    /** kafka-run-class.sh's defaults for the tools: KAFKA_HEAP_OPTS and KAFKA_JVM_PERFORMANCE_OPTS. */
    private static final List<String> TOOL_JVM_OPTIONS = List.of("-Xmx256M", "-XX:+UseG1GC",
            "-XX:MaxGCPauseMillis=20", "-XX:InitiatingHeapOccupancyPercent=35", "-XX:+ExplicitGCInvokesConcurrent",
            "-Djava.awt.headless=true");

    /** @param stderr what the tool printed there (a line per group without members, and any error) */
    record Run(long wallMs, long rows, String stderr) {
        Run verified(long expectedRows) {
            if (rows != expectedRows) {
                throw new IllegalStateException("kafka-consumer-groups printed " + rows + " rows, expected "
                        + expectedRows + "; its stderr: " + stderr);
            }
            return this;
        }
    }

    private final String bootstrapServers;

    KafkaDescribe(String bootstrapServers) {
        this.bootstrapServers = bootstrapServers;
    }

    private String[] arguments() {
        return new String[] {"--bootstrap-server", bootstrapServers, "--describe", "--all-groups"};
    }

    /**
     * ConsumerGroupCommand.main in this JVM, its stdout swapped for a row counter and its stderr captured for the
     * duration (the broker's own warnings in that time land there too).
     */
    synchronized Run inProcess() {
        Exit.setExitProcedure((code, message) -> {
            throw new IllegalStateException("kafka-consumer-groups wanted to exit " + code + ": " + message);
        });
        LineCounter rows = new LineCounter(Workload.GROUP_PREFIX);
        ByteArrayOutputStream stderr = new ByteArrayOutputStream();
        PrintStream originalOut = System.out;
        PrintStream originalErr = System.err;
        System.setOut(new PrintStream(rows, false, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(stderr, true, StandardCharsets.UTF_8));
        long start = System.nanoTime();
        try {
            ConsumerGroupCommand.main(arguments());
            System.out.flush();
        } finally {
            System.setOut(originalOut);
            System.setErr(originalErr);
            Exit.resetExitProcedure();
        }
        return new Run((System.nanoTime() - start) / 1_000_000, rows.lines(), stderr.toString(StandardCharsets.UTF_8));
    }

    /** The same class as a cold JVM, with the JVM options kafka-consumer-groups.sh uses. */
    List<String> command() {
        List<String> command = new ArrayList<>(List.of(JavaProcess.java()));
        command.addAll(TOOL_JVM_OPTIONS);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), ConsumerGroupCommand.class.getName()));
        command.addAll(List.of(arguments()));
        return command;
    }
}
