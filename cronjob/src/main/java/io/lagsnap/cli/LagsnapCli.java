package io.lagsnap.cli;

import io.lagsnap.core.config.ConfigLoader;
import io.lagsnap.core.config.LagsnapConfig;
import io.lagsnap.core.config.LogScrubbing;
import io.lagsnap.core.invocation.ConfigSource.Overrides;
import io.lagsnap.core.invocation.Invocation.LoadedConfig;
import io.lagsnap.core.invocation.Invocation;
import io.lagsnap.core.report.RunReport;
import io.lagsnap.core.run.Runner;
import io.lagsnap.sink.api.config.ConfigException;
import io.lagsnap.sink.api.config.SinkConfig;
import io.lagsnap.sink.api.model.Shard;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine;

/**
 * The {@code lagsnap} command: one snapshot over every configured cluster and sink, then exit with the run
 * report's code (0 all delivered, 1 partly, 2 config error, 3 nothing delivered).
 */
@Command(name = "lagsnap", mixinStandardHelpOptions = true, versionProvider = Version.class,
        description = "Takes one snapshot of Kafka consumer-group lag and delivers it to the configured sinks.",
        subcommands = {ValidateCommand.class, HistoryCommand.class},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:every cluster collected and every sink delivered",
            "1:some cluster or sink failed or was partial; the rest was delivered",
            "2:invalid configuration or arguments; nothing was contacted",
            "3:no sink delivered anything"})
public final class LagsnapCli implements Callable<Integer> {
    /** Not required by picocli, so that {@code lagsnap validate --config F} needs no second --config. */
    @Option(names = {"-c", "--config"}, paramLabel = "FILE",
            description = "config.toml; needed to take a snapshot (validate takes its own -c after the subcommand)")
    Path config;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    private static final List<String> FORMATS = List.of("table", "json", "prometheus");

    @Option(names = "--format", paramLabel = "FORMAT",
            description = "stdout format when no [[sinks]] are configured: table (default), json or prometheus; "
                    + "an error with [[sinks]]")
    String format;

    @Option(names = "--shard", paramLabel = "INDEX/COUNT",
            description = "collect only this shard of the groups (default: JOB_COMPLETION_INDEX/LAGSNAP_SHARD_COUNT)")
    String shard;

    @Option(names = "--cluster", paramLabel = "NAME", description = "collect only the named cluster(s)")
    List<String> clusters;

    private final UnaryOperator<String> env;
    private final PrintWriter err;

    LagsnapCli(UnaryOperator<String> env, PrintWriter err) {
        this.env = env;
        this.err = err;
    }

    public static void main(String[] args) {
        LogScrubbing.install();
        System.exit(execute(System::getenv, new PrintWriter(System.err, true), args));
    }

    /** Runs the command line and returns the exit code; tests call this instead of main. */
    static int execute(UnaryOperator<String> env, PrintWriter err, String... args) {
        CommandLine cli = new CommandLine(new LagsnapCli(env, err), new Factory(env, err));
        cli.setErr(err);
        CommandLine.IParameterExceptionHandler usageError = (e, a) -> {
            err.println("lagsnap: " + e.getMessage());
            e.getCommandLine().usage(err);
            return RunReport.EXIT_CONFIG;
        };
        cli.setExecutionExceptionHandler((e, line, parsed) -> {
            if (e instanceof ConfigException c) {
                c.problems().forEach(p -> err.println("lagsnap: config error: " + p.message()));
                return RunReport.EXIT_CONFIG;
            }
            if (e instanceof CommandLine.ParameterException p) {
                return usageError.handleParseException(p, args);
            }
            throw e;
        });
        cli.setParameterExceptionHandler(usageError);
        return cli.execute(args);
    }

    @Override
    public Integer call() {
        if (config == null) {
            throw new CommandLine.ParameterException(spec.commandLine(), "Missing required option: '--config=FILE'");
        }
        if (format != null && !FORMATS.contains(format)) {
            throw new ConfigException("--format: \"" + format + "\" is not one of " + String.join(", ", FORMATS));
        }
        Invocation.Arrival arrival = Invocation.Arrival.now();
        Invocation invocation = new Invocation(
                (d, check) -> LoadedConfig.of(formatFree(new ConfigLoader(env).load(config, check))),
                new Runner(io.lagsnap.core.sink.SinkRegistry.load(), env),
                List.of(new SinkConfig("stdout", "stdout", "--format",
                        Map.of("format", format == null ? FORMATS.get(0) : format))));
        Invocation.Prepared run = invocation.prepare(arrival,
                new Overrides(clusters == null ? List.of() : clusters, shard(shard, env)));
        try (SigtermGuard sigterm = new SigtermGuard(run.config().run().deadline())) {
            RunReport report = run.run(sigterm::stopping);
            err.println(report.toJson());
            sigterm.exitWith(report.exitCode());
            return report.exitCode();
        }
    }

    /** --format chooses the stdout of a config without sinks; with [[sinks]] it would be silently ignored. */
    private LagsnapConfig formatFree(LagsnapConfig loaded) {
        if (format != null && !loaded.sinks().isEmpty()) {
            throw new ConfigException("--format applies only to a config without [[sinks]]; " + loaded.source()
                    + " has " + loaded.sinks().size() + ": add a [[sinks]] table of type \"stdout\" with its format");
        }
        return loaded;
    }

    static LagsnapConfig load(Path file, UnaryOperator<String> env, PrintWriter err) {
        return load(file, env, err, config -> { });
    }

    /** Loads the file and runs {@code check} on it, reporting the problems of both in one {@link ConfigException}. */
    static LagsnapConfig load(Path file, UnaryOperator<String> env, PrintWriter err, Consumer<LagsnapConfig> check) {
        LagsnapConfig loaded = new ConfigLoader(env).load(file, check);
        loaded.warnings().forEach(w -> err.println("lagsnap: warning: " + w));
        return loaded;
    }

    /** --shard, else JOB_COMPLETION_INDEX with LAGSNAP_SHARD_COUNT (Kubernetes Indexed Jobs), else all groups. */
    static Shard shard(String flag, UnaryOperator<String> env) {
        String index = env.apply("JOB_COMPLETION_INDEX");
        String count = env.apply("LAGSNAP_SHARD_COUNT");
        String text = flag != null ? flag : index != null && count != null ? index + "/" + count : null;
        if (text == null) {
            return Shard.ALL;
        }
        try {
            return Shard.parse(text);
        } catch (IllegalArgumentException e) {
            throw new ConfigException((flag != null ? "--shard" : "JOB_COMPLETION_INDEX/LAGSNAP_SHARD_COUNT")
                    + ": " + e.getMessage());
        }
    }

    /** Hands the environment and stderr to the subcommands picocli instantiates. */
    private record Factory(UnaryOperator<String> env, PrintWriter err) implements CommandLine.IFactory {
        @Override
        public <K> K create(Class<K> cls) throws Exception {
            if (cls == ValidateCommand.class) {
                return cls.cast(new ValidateCommand(env, err));
            }
            return CommandLine.defaultFactory().create(cls);
        }
    }
}
