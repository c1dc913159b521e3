package io.lagsnap.lambda;

import io.lagsnap.core.invocation.ConfigSource.FailOn;
import io.lagsnap.core.report.RunReport;

/**
 * A run that {@code LAGSNAP_FAIL_ON} counts as failed. Lambda reports it as the invocation's error (errorType is
 * this class, errorMessage starts with the exit code and carries the whole run report).
 */
public final class RunFailedException extends RuntimeException {
    private final transient RunReport report;

    RunFailedException(RunReport report, FailOn failOn) {
        super(failOn.failure(report.runId(), report.exitCode()) + "; report: " + report.toJson());
        this.report = report;
    }

    public RunReport report() {
        return report;
    }
}
