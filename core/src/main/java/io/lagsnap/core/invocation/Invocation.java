package io.lagsnap.core.invocation;

import io.lagsnap.core.config.LagsnapConfig;
import io.lagsnap.core.invocation.ConfigSource.Overrides;
import io.lagsnap.core.report.RunReport;
import io.lagsnap.core.run.Runner;
import io.lagsnap.sink.api.Deadline;
import io.lagsnap.sink.api.config.SinkConfig;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The sequence every adapter (CLI, Lambda, Cloud Function) runs for one invocation: the clock starts when the
 * invocation {@linkplain Arrival arrives}; the config is read within that time; the trigger's overrides are
 * applied; warnings are logged; the run gets what is left of the config's {@code [run] deadline}, counted from the
 * arrival, and never more than the platform gives.
 */
public final class Invocation {
    /** Kept back from a platform's remaining time so the function answers before the platform stops it. */
    public static final Duration SAFETY_MARGIN = Duration.ofSeconds(3);
    /** A config read never takes longer than this, even where the platform does not say how long it waits. */
    public static final Duration MAX_CONFIG_READ = Duration.ofSeconds(20);
    /** Where the platform sets no limit (a CLI run, a Cloud Function): the config's own deadline bounds the run. */
    private static final Duration NO_PLATFORM_LIMIT = Duration.ofDays(1);
    /**
     * What a function without {@code [[sinks]]} does with its snapshot: JSON lines (one row each) on stdout, which
     * is the function log on Lambda and Cloud Functions, rather than a silent 200 that went nowhere.
     */
    public static final List<SinkConfig> TO_THE_LOG =
            List.of(new SinkConfig("stdout", "log", "no [[sinks]] in the config", Map.of("format", "json")));
    private static final Logger LOG = LoggerFactory.getLogger(Invocation.class);

    /** Reads the config within the deadline it is given (a {@link ConfigSource}, or the CLI's --config file). */
    @FunctionalInterface
    public interface ConfigRead {
        /**
         * @param check runs on the loaded config (it builds every sink); its problems are reported with the
         *              loader's, in one {@link io.lagsnap.sink.api.config.ConfigException}, as
         *              {@link io.lagsnap.core.config.ConfigLoader#parse(String, String, Consumer)} does
         */
        LoadedConfig load(Deadline deadline, Consumer<LagsnapConfig> check);
    }

    /**
     * A config and the secret values resolved while reading it (e.g. a Secrets Manager reference), which the run's
     * scrubber must know even when they sit under keys that do not look secret.
     */
    public record LoadedConfig(LagsnapConfig config, List<String> resolvedSecrets) {
        public LoadedConfig {
            resolvedSecrets = List.copyOf(resolvedSecrets);
        }

        public static LoadedConfig of(LagsnapConfig config) {
            return new LoadedConfig(config, List.of());
        }
    }

    /**
     * When an invocation arrived, on the monotonic clock, and the platform's limit from then on.
     *
     * @param platform the platform's remaining time less {@link #margin}, or a day when the platform sets none
     */
    public record Arrival(long nanos, Deadline platform) {
        /** Now, on a platform that stops the invocation after {@code remaining} (Lambda's remaining time). */
        public static Arrival now(Duration remaining) {
            return new Arrival(System.nanoTime(), Deadline.after(remaining.minus(margin(remaining))));
        }

        /** Now, where only the config's {@code [run] deadline} bounds the run. */
        public static Arrival now() {
            return new Arrival(System.nanoTime(), Deadline.after(NO_PLATFORM_LIMIT));
        }

        /** {@code budget} counted from the arrival, cut to the platform's limit. */
        Deadline within(Duration budget) {
            Duration elapsed = Duration.ofNanos(System.nanoTime() - nanos);
            Duration left = budget.minus(elapsed);
            return platform.within(left.isNegative() ? Duration.ZERO : left);
        }
    }

    /** A config ready to run: the adapter may inspect it (e.g. for its run deadline) before running. */
    public final class Prepared {
        private final LoadedConfig loaded;
        private final Overrides overrides;
        private final Deadline deadline;

        private Prepared(LoadedConfig loaded, Overrides overrides, Deadline deadline) {
            this.loaded = loaded;
            this.overrides = overrides;
            this.deadline = deadline;
        }

        public LagsnapConfig config() {
            return loaded.config();
        }

        /** The run's deadline: the config's, counted from the arrival, cut to the platform's. */
        public Deadline deadline() {
            return deadline;
        }

        public RunReport run() {
            return run(() -> false);
        }

        /** @param stopCollecting a stop signal (SIGTERM) that ends collection early */
        public RunReport run(BooleanSupplier stopCollecting) {
            return runner.run(loaded.config(), deadline, overrides.shard(), stopCollecting, loaded.resolvedSecrets());
        }
    }

    private final ConfigRead read;
    private final Runner runner;
    private final List<SinkConfig> whenNoSinks;

    /**
     * @param whenNoSinks the sinks a config without {@code [[sinks]]} gets (the CLI: a stdout table; a function:
     *                    JSON lines in the function log), so a snapshot is never silently dropped
     */
    public Invocation(ConfigRead read, Runner runner, List<SinkConfig> whenNoSinks) {
        this.read = read;
        this.runner = runner;
        this.whenNoSinks = List.copyOf(whenNoSinks);
    }

    /**
     * Reads the config within the arrival's time (at most {@link #MAX_CONFIG_READ}) and applies the overrides.
     * Throws {@link io.lagsnap.sink.api.config.ConfigException} when the config cannot be read or is invalid: every
     * problem of the file and of its sink tables in one report, sorted by line, as {@code lagsnap validate} gives.
     */
    public Prepared prepare(Arrival arrival, Overrides overrides) {
        LoadedConfig loaded = read.load(arrival.platform().within(MAX_CONFIG_READ),
                config -> runner.validate(config, overrides.shard()));
        LagsnapConfig config = overrides.applyTo(loaded.config());
        if (config.sinks().isEmpty()) {
            config = config.withSinks(whenNoSinks);
        }
        config.warnings().forEach(w -> LOG.warn("config: {}", w));
        Deadline deadline = arrival.within(config.run().deadline());
        LOG.info("config {}, shard {}, {} ms left to run", config.source(), overrides.shard(),
                deadline.remaining().toMillis());
        return new Prepared(new LoadedConfig(config, loaded.resolvedSecrets()), overrides, deadline);
    }

    /** {@link #SAFETY_MARGIN}, but never more than a quarter of a short remaining time. */
    public static Duration margin(Duration remaining) {
        Duration quarter = remaining.dividedBy(4);
        return quarter.compareTo(SAFETY_MARGIN) < 0 ? quarter : SAFETY_MARGIN;
    }
}
