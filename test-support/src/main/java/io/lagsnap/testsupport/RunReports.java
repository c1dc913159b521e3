package io.lagsnap.testsupport;

import static org.assertj.core.api.Assertions.assertThat;

import io.lagsnap.core.report.RunReport;
import io.lagsnap.core.report.SinkOutcome;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.assertj.core.groups.Tuple;

/** Checks on run reports shared by the sink modules' failure tests. */
public final class RunReports {
    private RunReports() {
    }

    /**
     * The run a failing sink of {@code sinkType} and a file sink (writing {@code file}) took part in: exit code 1,
     * the failing sink reported failed, and the file sink still delivered {@code group}'s rows.
     */
    public static void assertFailedBesideAWorkingFileSink(RunReport report, String sinkType, Path file,
                                                          String group) throws IOException {
        assertThat(report.exitCode()).as(report.toJson()).isEqualTo(RunReport.EXIT_PARTIAL);
        assertThat(report.sinks()).extracting(SinkOutcome::type, SinkOutcome::delivered)
                .containsExactly(Tuple.tuple(sinkType, false), Tuple.tuple("file", true));
        assertThat(Files.readString(file)).contains("\"group\":\"" + group + "\"");
    }

    /** The value of one of the run's own sink metrics ({@code lagsnap_sink_*}) for the sink of {@code sinkType}. */
    public static double sinkMetric(RunReport report, String name, String sinkType) {
        return report.metrics().stream().filter(f -> f.name().equals(name)).flatMap(f -> f.samples().stream())
                .filter(s -> sinkType.equals(s.labels().get("sink_type"))).findFirst().orElseThrow()
                .value();
    }
}
