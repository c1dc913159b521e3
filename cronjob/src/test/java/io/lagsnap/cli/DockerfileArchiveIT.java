package io.lagsnap.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.lagsnap.cli.DockerfileTest.Instruction;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The image's archive steps, run here: no container engine runs on the build machines, so the Dockerfile's own
 * instructions run on this machine's JDK instead of the image's, with /src and /opt/lagsnap mapped to directories of
 * the test. That checks what the structure test cannot: that each step succeeds (the image build stops at the first
 * that fails), and that the ENTRYPOINT maps an archive holding Kafka's message classes and the shipped config's.
 */
class DockerfileArchiveIT {
    private static final String OPT = "/opt/lagsnap";

    @TempDir
    Path dir;

    @Test
    void theImagesArchiveStepsSucceedAndTheEntrypointMapsKafkasAndTheConfigsClasses() throws Exception {
        Path src = Files.createDirectories(dir.resolve("src"));
        Path opt = Files.createDirectories(dir.resolve("opt"));
        List<List<Instruction>> stages = DockerfileTest.stages();
        for (String run : DockerfileTest.all(stages.get(0), "RUN")) {
            if (!run.startsWith("mvn ")) {
                // the package step already ran: this IT runs after it, on its output
                shell(run.replace("/src/", src + "/"));
            }
        }
        List<Instruction> runtime = stages.get(stages.size() - 1);
        for (String copy : DockerfileTest.all(runtime, "COPY")) {
            String[] args = copy.split(" ");
            assertThat(args[0]).isEqualTo("--from=build");
            String from = args[1].substring("/src/".length());
            Path source = Files.exists(src.resolve(from)) ? src.resolve(from) : DockerfileTest.REPO.resolve(from);
            Files.copy(source, Path.of(args[2].replace(OPT, opt.toString())));
        }
        for (String run : DockerfileTest.all(runtime, "RUN")) {
            shell(run.replace(OPT, opt.toString()));
        }
        List<String> entrypoint = DockerfileTest.entrypoint().stream().map(a -> a.replace(OPT, opt.toString()))
                .toList();
        String archives = entrypoint.stream().filter(a -> a.startsWith("-XX:SharedArchiveFile=")).findFirst()
                .orElseThrow().substring("-XX:SharedArchiveFile=".length());

        List<String> version = new ArrayList<>(entrypoint);
        version.add("--version");
        assertThat(CdsArchiveIT.run(Map.of(), DockerfileTest.REPO, version))
                .endsWith("AppCDS archive: used (" + archives + ")");
        List<String> shared = new ArrayList<>(entrypoint);
        shared.add(1, "-XX:+PrintSharedArchiveAndExit");
        assertThat(String.join("\n", CdsArchiveIT.run(Map.of(), DockerfileTest.REPO, shared)))
                .contains(" org.apache.kafka.common.message.OffsetFetchResponseData ")
                .contains(" org.apache.kafka.common.message.FetchResponseData ")
                .contains(" org.apache.kafka.common.security.scram.ScramLoginModule ");
    }

    /** A RUN instruction's shell command, from the repository root (the build stage's working directory). */
    private static void shell(String command) throws IOException, InterruptedException {
        CdsArchiveIT.run(Map.of(), DockerfileTest.REPO, List.of("sh", "-c", command));
    }
}
