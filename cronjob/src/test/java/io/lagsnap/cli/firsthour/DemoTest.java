package io.lagsnap.cli.firsthour;

import static org.assertj.core.api.Assertions.assertThat;

import io.lagsnap.cli.Demo;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The README demo as a newcomer sees it: only lagsnap's output on stdout, and a config.toml safe to run again. */
class DemoTest {
    @TempDir
    static Path out;

    private static int code;
    private static String stdout;
    private static String stderr;

    @BeforeAll
    static void runTheDemo() throws Exception {
        ByteArrayOutputStream capturedOut = new ByteArrayOutputStream();
        ByteArrayOutputStream capturedErr = new ByteArrayOutputStream();
        PrintStream originalOut = System.out;
        PrintStream originalErr = System.err;
        System.setOut(new PrintStream(capturedOut, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(capturedErr, true, StandardCharsets.UTF_8));
        try {
            code = Demo.run(out);
        } finally {
            System.setOut(originalOut);
            System.setErr(originalErr);
        }
        stdout = capturedOut.toString(StandardCharsets.UTF_8);
        stderr = capturedErr.toString(StandardCharsets.UTF_8);
    }

    @Test
    void stdoutIsTheTableAloneAndTheWorkloadSetupLogsNoError() {
        assertThat(code).as(stderr).isZero();
        List<String> lines = stdout.lines().toList();
        assertThat(lines.get(0)).startsWith("cluster demo: up, 6 groups, 7 partitions, 13 group-partition rows, ");
        assertThat(lines.get(1)).startsWith("  GROUP ");
        assertThat(lines.subList(2, lines.size())).hasSize(13)
                .allMatch(l -> l.startsWith("  ") && !l.contains("\u001b"));
        assertThat(stderr).doesNotContain("PartitionLeaderStrategy").contains("demo: wrote ");
    }

    /**
     * The demo's broker is gone: running its config.toml again must not replace the snapshot with an empty file
     * (the file sink keeps the last good snapshot, or writes what failed: issue 19's rule, seen from the demo).
     */
    @Test
    void aRerunWithoutTheBrokerDoesNotEmptyTheSnapshot() throws Exception {
        assertThat(Files.readString(out.resolve("lag.ndjson")).lines()).hasSize(13);
        Cli.Result rerun = Cli.run(Map.of(), "--config", out.resolve("config.toml").toString());
        assertThat(rerun.code()).as(rerun.stderr()).isNotZero();
        assertThat(Files.readString(out.resolve("lag.ndjson"))).isNotEmpty();
    }
}
