package io.lagsnap.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class RequiredToolTest {
    /** The exact Debian install command for each program a test runs, as .ci/run installs them. */
    @Test
    void aMissingProgramNamesItsInstallCommand() {
        Map<String, String> packages = Map.of("prometheus-pushgateway", "prometheus-pushgateway",
                "promtool", "prometheus", "chromium", "chromium", "chromedriver", "chromium-driver",
                "node", "nodejs", "npm", "npm");
        packages.forEach((program, pkg) -> assertThat(RequiredTool.missing(program)).isEqualTo(program
                + " is not installed (this test runs the real one). Install it with: "
                + "apt-get install -y --no-install-recommends " + pkg));
    }

    @Test
    void aProgramOnThePathIsFound() {
        // .ci/run installs every program this build runs; promtool is one of them
        assertThat(RequiredTool.onPath("promtool")).isExecutable();
    }

    @Test
    void anUnknownProgramIsAMistakeInTheTestNotAnInstallHint() {
        assertThatThrownBy(() -> RequiredTool.missing("kubectl")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("no install command known for kubectl; add it to RequiredTool");
    }
}
