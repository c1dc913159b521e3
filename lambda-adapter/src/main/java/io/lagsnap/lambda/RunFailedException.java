package io.lagsnap.lambda;

import io.lagsnap.core.config.ConfigSource.FailOn;
import io.lagsnap.core.run.RunReport;
import java.util.Locale;

/**
 * A run that {@code LAGSNAP_FAIL_ON} counts as failed. Lambda reports it as the invocation's error (errorType is
 * this class, errorMessage starts with the exit code and carries the whole run report).
 */
public final class RunFailedException extends RuntimeException {
    private final transient RunReport report;

    RunFailedException(RunReport report, FailOn failOn) {
        super("lagsnap run " + report.runId() + " ended with exit code " + report.exitCode()
                + " (LAGSNAP_FAIL_ON=" + failOn.name().toLowerCase(Locale.ROOT) + "); report: " + report.toJson());
        this.report = report;
    }

    public RunReport report() {
        return report;
    }
}
