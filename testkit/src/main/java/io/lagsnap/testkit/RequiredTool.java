package io.lagsnap.testkit;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * The programs tests run for real, found on the PATH. A missing one fails the test with the exact command that
 * installs it on Debian, the same packages {@code .ci/run} installs.
 */
public final class RequiredTool {
    /** Program name to the Debian package that provides it. */
    private static final Map<String, String> PACKAGES = Map.of(
            "prometheus-pushgateway", "prometheus-pushgateway",
            "promtool", "prometheus",
            "chromium", "chromium",
            "chromedriver", "chromium-driver",
            "node", "nodejs",
            "npm", "npm");

    private RequiredTool() {
    }

    /** The program's path; fails the test with its install command when it is not on the PATH. */
    public static Path onPath(String program) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            Path candidate = Path.of(dir, program);
            if (Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        throw new AssertionError(missing(program));
    }

    /** The failure message for a missing program: what it is and the command that installs it. */
    static String missing(String program) {
        String pkg = PACKAGES.get(program);
        if (pkg == null) {
            throw new IllegalArgumentException("no install command known for " + program + "; add it to "
                    + RequiredTool.class.getSimpleName());
        }
        return program + " is not installed (this test runs the real one). Install it with: "
                + "apt-get install -y --no-install-recommends " + pkg;
    }
}
