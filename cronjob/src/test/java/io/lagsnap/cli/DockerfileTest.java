package io.lagsnap.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The structure of cronjob/Dockerfile (no container engine runs here, so the image itself is never built in the
 * suite): a build stage that packages the jar from a fresh clone, a runtime stage on an exactly pinned JRE that
 * trains its own class archive, a non-root user, and a .dockerignore that keeps build output and .git out.
 */
class DockerfileTest {
    static final Path DOCKERFILE = Path.of("Dockerfile");
    static final Path REPO = Path.of("..");

    /** One instruction: keyword and the rest, continuation lines joined. */
    record Instruction(String keyword, String args) {
    }

    /** The instructions of each stage, FROM first. */
    static List<List<Instruction>> stages() throws IOException {
        List<List<Instruction>> stages = new ArrayList<>();
        StringBuilder pending = new StringBuilder();
        for (String line : Files.readAllLines(DOCKERFILE)) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            pending.append(line.strip());
            if (line.endsWith("\\")) {
                pending.setLength(pending.length() - 1);
                continue;
            }
            String text = pending.toString();
            pending.setLength(0);
            Instruction i = new Instruction(text.substring(0, text.indexOf(' ')), text.substring(text.indexOf(' ') + 1));
            if (i.keyword().equals("FROM")) {
                stages.add(new ArrayList<>());
            }
            stages.get(stages.size() - 1).add(i);
        }
        return stages;
    }

    static List<String> all(List<Instruction> stage, String keyword) {
        return stage.stream().filter(i -> i.keyword().equals(keyword)).map(Instruction::args).toList();
    }

    static List<String> entrypoint() throws IOException {
        List<List<Instruction>> stages = stages();
        return List.of(new ObjectMapper().readValue(all(stages.get(stages.size() - 1), "ENTRYPOINT").get(0),
                String[].class));
    }

    @Test
    void buildStagePackagesTheCronjobModuleFromSource() throws IOException {
        List<Instruction> build = stages().get(0);
        assertThat(build.get(0).args()).isEqualTo("maven:3.9.9-eclipse-temurin-21 AS build");
        assertThat(all(build, "COPY")).containsExactly(". .");
        assertThat(all(build, "RUN")).contains("mvn -B -q -pl cronjob -am package -DskipTests");
    }

    @Test
    void baseImagesArePinnedToExactVersions() throws IOException {
        for (List<Instruction> stage : stages()) {
            String image = stage.get(0).args().split(" ")[0];
            assertThat(image).as("no floating tag").doesNotEndWith(":latest")
                    .matches("[a-z-]+:(\\d+\\.\\d+\\.\\d+[-_a-z0-9.]*|[a-z0-9.-]+@sha256:[0-9a-f]{64})");
        }
        assertThat(stages().get(1).get(0).args()).as("runtime JRE pinned to its patch and build")
                .isEqualTo("eclipse-temurin:21.0.5_11-jre");
    }

    @Test
    void runtimeStageTrainsItsClassArchiveWithItsOwnJvmAndTheEntrypointFlags() throws IOException {
        List<Instruction> runtime = stages().get(stages().size() - 1);
        assertThat(all(runtime, "COPY")).containsExactly(
                "--from=build /src/cronjob/target/lagsnap.jar /opt/lagsnap/lagsnap.jar",
                "--from=build /src/cronjob/target/lagsnap.classlist /opt/lagsnap/lagsnap.classlist",
                "--from=build /src/training.toml /opt/lagsnap/training.toml");
        List<String> runs = all(runtime, "RUN");
        assertThat(runs).hasSize(1);
        List<String> steps = List.of(runs.get(0).split("&&"));
        assertThat(steps).hasSize(3);
        assertThat(steps.get(0)).contains("java -Xshare:dump -XX:SharedClassListFile=/opt/lagsnap/lagsnap.classlist"
                + " -XX:SharedArchiveFile=/opt/lagsnap/lagsnap.jsa -cp /opt/lagsnap/lagsnap.jar");
        assertThat(steps.get(1)).contains("java -XX:SharedArchiveFile=/opt/lagsnap/lagsnap.jsa"
                + " -XX:ArchiveClassesAtExit=/opt/lagsnap/lagsnap-config.jsa ")
                .contains("-jar /opt/lagsnap/lagsnap.jar validate --config /opt/lagsnap/training.toml");
        String layers = "-XX:SharedArchiveFile=/opt/lagsnap/lagsnap.jsa:/opt/lagsnap/lagsnap-config.jsa";
        assertThat(steps.get(2)).contains(layers + " -Xshare:on").contains("-jar /opt/lagsnap/lagsnap.jar --version");
        List<String> entrypoint = entrypoint();
        assertThat(entrypoint).contains(layers);
        for (String flag : List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-XX:-UsePerfData")) {
            assertThat(entrypoint).contains(flag);
            assertThat(steps.subList(1, 3)).allMatch(cmd -> cmd.contains(flag), "trained with " + flag);
        }
        int trainedAt = runtime.indexOf(runtime.stream().filter(i -> i.keyword().equals("RUN")).findFirst()
                .orElseThrow());
        int userAt = runtime.indexOf(runtime.stream().filter(i -> i.keyword().equals("USER")).findFirst()
                .orElseThrow());
        assertThat(userAt).as("the archives are written as root, the image runs as 65532").isGreaterThan(trainedAt);
        assertThat(all(runtime, "USER")).containsExactly("65532:65532");
    }

    @Test
    void trainingConfigIsTheConfigMapsConfigVerbatim() throws Exception {
        String extract = all(stages().get(0), "RUN").stream().filter(r -> r.contains("configmap.yaml")).findFirst()
                .orElseThrow();
        Path out = Files.createTempFile("training", ".toml");
        try {
            String command = extract.replace("/src/training.toml", out.toAbsolutePath().toString());
            Process p = new ProcessBuilder("sh", "-c", command).directory(REPO.toFile()).inheritIO().start();
            assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
            assertThat(p.exitValue()).isZero();
            String expected = new YAMLMapper().readTree(REPO.resolve("cronjob/k8s/configmap.yaml").toFile())
                    .at("/data/config.toml").asText();
            assertThat(Files.readString(out, StandardCharsets.UTF_8)).isEqualTo(expected);
        } finally {
            Files.delete(out);
        }
    }

    @Test
    void dockerignoreKeepsGitAndBuildOutputOutOfTheContext() throws IOException {
        List<String> ignored = Files.readAllLines(REPO.resolve(".dockerignore")).stream()
                .filter(l -> !l.isBlank() && !l.startsWith("#")).toList();
        assertThat(ignored).contains(".git", "**/target", "**/node_modules");
    }
}
