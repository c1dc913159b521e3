package io.lagsnap.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Real subprocesses (small Java programs run from source): ready, exited early, never ready. */
class ExternalProcessTest {
    /** Prints a line, then listens on the port in args[0] (if any) and waits to be stopped. */
    private static final String PROGRAM = """
            public class Component {
                public static void main(String[] args) throws Exception {
                    System.out.println("component says " + String.join(" ", args));
                    System.out.flush();
                    if (args.length > 0 && args[0].equals("fail")) {
                        System.exit(7);
                    }
                    java.net.ServerSocket server = args.length > 0
                            ? new java.net.ServerSocket(Integer.parseInt(args[0]), 1,
                                    java.net.InetAddress.getLoopbackAddress())
                            : null;
                    Thread.sleep(60_000);
                }
            }
            """;

    @TempDir
    Path dir;

    private ExternalProcess start(String... args) throws Exception {
        Path source = Files.writeString(dir.resolve("Component.java"), PROGRAM);
        ProcessBuilder builder = new ProcessBuilder(ExternalProcess.java(), source.toString());
        builder.command().addAll(java.util.List.of(args));
        return ExternalProcess.start("component", builder, dir.resolve("component.log"));
    }

    @Test
    void aComponentThatListensIsReadyAndItsOutputIsKept() throws Exception {
        int port = ExternalProcess.freePort();
        try (ExternalProcess process = start(Integer.toString(port))) {
            process.awaitListening(port, Duration.ofSeconds(60));

            assertThat(process.isAlive()).isTrue();
            assertThat(process.logLines()).containsExactly("component says " + port);
        }
    }

    @Test
    void aComponentThatExitsFailsAtOnceWithItsExitCodeAndLog() throws Exception {
        try (ExternalProcess process = start("fail")) {
            assertThatThrownBy(() -> process.awaitReady(Duration.ofSeconds(60), () -> false))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessage("component exited with 7; log:\ncomponent says fail\n");
        }
    }

    @Test
    void aComponentNeverReadyIsStoppedAndFailsWithItsLog() throws Exception {
        try (ExternalProcess process = start()) {
            Await.until("the component to print", Duration.ofSeconds(60), () -> !process.log().isEmpty());

            assertThatThrownBy(() -> process.awaitReady(Duration.ofMillis(300), () -> false))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessage("Timed out after PT0.3S waiting for component to be ready; log:\ncomponent says \n");
            assertThat(process.isAlive()).isFalse();
        }
    }
}
