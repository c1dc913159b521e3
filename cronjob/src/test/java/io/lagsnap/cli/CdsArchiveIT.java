package io.lagsnap.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The packaged AppCDS archive, class list and launcher (target/), as a user copies them. */
class CdsArchiveIT {
    private static final Path TARGET = Path.of("target");

    @TempDir
    Path dir;

    @Test
    void theClassListOfTheTrainingAgainstALiveBrokerHasKafkasMessageClasses() throws IOException {
        List<String> classes = Files.readAllLines(TARGET.resolve("lagsnap.classlist"));

        assertThat(classes).contains("org/apache/kafka/common/message/OffsetFetchResponseData",
                "org/apache/kafka/common/message/ListOffsetsResponseData",
                "org/apache/kafka/common/message/FetchResponseData",
                "org/apache/kafka/common/message/DescribeGroupsResponseData");
    }

    @Test
    void aCopiedLauncherRebuildsTheArchiveForItsJarAndTheVersionSaysItIsUsed() throws Exception {
        Path copy = copiedLauncher();

        assertThat(run(copy.resolve("lagsnap").toString(), "--version")).containsExactly("lagsnap 0.1.0",
                "AppCDS archive: used (" + copy.resolve("lagsnap.jsa") + ")");
        assertThat(Files.readString(copy.resolve("lagsnap.jsa.stamp"))).startsWith(copy.resolve("lagsnap.jar") + " ");
    }

    /**
     * An archive fits only the JVM build that dumped it: after a JDK upgrade or with another JAVA_HOME, a launcher
     * that checked only the jar kept an archive the JVM silently ignores. Two real JDKs: the build machine's second.
     */
    @Test
    void anArchiveDumpedByAnotherJdkIsDumpedAgainForTheOneThatRuns() throws Exception {
        Path copy = copiedLauncher();
        String launcher = copy.resolve("lagsnap").toString();
        String used = "AppCDS archive: used (" + copy.resolve("lagsnap.jsa") + ")";
        Path thisJdk = Path.of(System.getProperty("java.home")).toRealPath();
        Path otherJdk = otherJdk(thisJdk);

        assertThat(run(Map.of("JAVA_HOME", otherJdk.toString()), launcher, "--version")).endsWith(used);
        assertThat(Files.readAllLines(copy.resolve("lagsnap.jsa.stamp")).get(1)).startsWith(otherJdk + " ");

        assertThat(run(Map.of("JAVA_HOME", thisJdk.toString()), launcher, "--version")).endsWith(used);
        assertThat(Files.readAllLines(copy.resolve("lagsnap.jsa.stamp")).get(1)).startsWith(thisJdk + " ");
    }

    /** Two first runs at once, the second started while the first dumps: each maps a whole archive. */
    @Test
    void aRunStartedWhileAnotherDumpsTheArchiveUsesAWholeOne() throws Exception {
        Path copy = copiedLauncher();
        String used = "AppCDS archive: used (" + copy.resolve("lagsnap.jsa") + ")";
        Process first = new ProcessBuilder(copy.resolve("lagsnap").toString(), "--version").redirectErrorStream(true)
                .start();
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!Files.exists(copy.resolve("lagsnap.jsa.log")) && System.nanoTime() < until) {
            Thread.sleep(5);
        }
        assertThat(first.isAlive()).as("the first run is still dumping").isTrue();

        List<String> second = run(copy.resolve("lagsnap").toString(), "--version");
        String firstOutput = new String(first.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(first.waitFor(2, TimeUnit.MINUTES)).isTrue();

        assertThat(firstOutput.lines().toList()).endsWith(used);
        assertThat(second).endsWith(used);
        assertThat(run(copy.resolve("lagsnap").toString(), "--version")).endsWith(used);
        try (Stream<Path> left = Files.list(copy)) {
            assertThat(left.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("lagsnap",
                    "lagsnap.jar", "lagsnap.classlist", "lagsnap.jsa", "lagsnap.jsa.stamp", "lagsnap.jsa.log");
        }
    }

    @Test
    void theLauncherAsksForHugePagesWhereTheKernelHandsThemOutOnRequest() throws Exception {
        Path thp = Path.of("/sys/kernel/mm/transparent_hugepage/enabled");
        boolean madvise = Files.isReadable(thp) && Files.readString(thp).contains("[madvise]");

        List<String> flags = run(Map.of("LAGSNAP_JAVA_OPTS", "-XX:+PrintFlagsFinal"),
                TARGET.resolve("lagsnap").toString(), "--version");

        assertThat(flags).anySatisfy(line -> assertThat(line)
                .matches(" *bool UseTransparentHugePages += " + madvise + " .*"));
    }

    @Test
    void anArchiveThatDoesNotFitTheJarIsReportedAsNotUsed() throws Exception {
        Files.copy(TARGET.resolve("lagsnap.jar"), dir.resolve("lagsnap.jar"));
        String archive = TARGET.resolve("lagsnap.jsa").toAbsolutePath().toString();

        assertThat(run(java(), "-XX:SharedArchiveFile=" + archive, "-jar", dir.resolve("lagsnap.jar").toString(),
                "--version")).containsExactly("lagsnap 0.1.0", "AppCDS archive: NOT used: " + archive
                + " does not fit this jar's path, size and mtime or this JDK (the lagsnap launcher next to the jar"
                + " rebuilds it from lagsnap.classlist)");
    }

    /** The launcher, jar and class list copied to a directory of their own, as a user ships them. */
    private Path copiedLauncher() throws IOException {
        for (String file : List.of("lagsnap", "lagsnap.jar", "lagsnap.classlist")) {
            Files.copy(TARGET.resolve(file), dir.resolve(file));
        }
        return dir.toRealPath();
    }

    private static List<String> run(String... command) throws IOException, InterruptedException {
        return run(Map.of(), command);
    }

    private static List<String> run(Map<String, String> environment, String... command)
            throws IOException, InterruptedException {
        return run(environment, Path.of("."), List.of(command));
    }

    /** Runs a command to its end, which must be exit code 0, and returns its output, stderr included, by line. */
    static List<String> run(Map<String, String> environment, Path directory, List<String> command)
            throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder(command).directory(directory.toFile()).redirectErrorStream(true);
        builder.environment().putAll(environment);
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(2, TimeUnit.MINUTES)).isTrue();
        assertThat(process.exitValue()).as(String.join(" ", command) + "\n" + output).isZero();
        return output.lines().toList();
    }

    /** A JDK installed beside the one running the tests (as /usr/lib/jvm holds them), of another build. */
    private static Path otherJdk(Path thisJdk) throws IOException {
        long thisJvm = Files.size(thisJdk.resolve("lib/server/libjvm.so"));
        try (Stream<Path> siblings = Files.list(thisJdk.getParent())) {
            return siblings.filter(p -> Files.isExecutable(p.resolve("bin/java")))
                    .filter(p -> Files.isRegularFile(p.resolve("lib/server/libjvm.so")))
                    .filter(p -> size(p.resolve("lib/server/libjvm.so")) != thisJvm).findFirst()
                    .orElseThrow(() -> new AssertionError("this test needs a second JDK beside " + thisJdk
                            + " (the build machines have Temurin's under /usr/lib/jvm)"));
        }
    }

    private static long size(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }
}
