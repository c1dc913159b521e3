package io.lagsnap.cli;

import io.lagsnap.core.config.ConfigLoader;
import io.lagsnap.core.config.LagsnapConfig;
import io.lagsnap.core.report.RunReport;
import io.lagsnap.core.run.Runner;
import io.lagsnap.sink.api.Deadline;
import io.lagsnap.sink.api.config.ConfigException;
import io.lagsnap.sink.api.config.SinkConfig;
import io.lagsnap.sink.api.model.Shard;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
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
        subcommands = LagsnapCli.Validate.class,
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:every cluster collected and every sink delivered",
            "1:some cluster or sink failed or was partial; the rest was delivered",
            "2:invalid configuration or arguments; nothing was contacted",
            "3:no sink delivered anything"})
public final class LagsnapCli implements Callable<Integer> {
    /** Not required by picocli, so that {@code lagsnap validate --config F} needs no second --config. */
    @Option(names = {"-c", "--config"}, paramLabel = "FILE", description = "config.toml (required)")
    Path config;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "table",
            description = "stdout format when no [[sinks]] are configured: table, json or prometheus")
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
            if (e instanceof ConfigException) {
                err.println("lagsnap: config error: " + e.getMessage());
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
        Shard selected = shard(shard, env);
        LagsnapConfig loaded = load(config, env, err).onlyClusters(clusters);
        if (loaded.sinks().isEmpty()) {
            loaded = loaded.withSinks(List.of(new SinkConfig("stdout", "stdout", "--format",
                    Map.of("format", format))));
        }
        Deadline deadline = Deadline.after(loaded.run().deadline());
        try (SigtermGuard sigterm = new SigtermGuard(loaded.run().deadline())) {
            RunReport report = new Runner(io.lagsnap.core.sink.SinkRegistry.load(), env)
                    .run(loaded, deadline, selected, sigterm::stopping);
            err.println(report.toJson());
            return report.exitCode();
        }
    }

    static LagsnapConfig load(Path file, UnaryOperator<String> env, PrintWriter err) {
        LagsnapConfig loaded = new ConfigLoader(env).load(file);
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

    /** {@code lagsnap validate}: loads the config and builds every sink, contacting nothing. */
    @Command(name = "validate", mixinStandardHelpOptions = true,
            description = "Checks the configuration and every sink table without connecting anywhere.")
    static final class Validate implements Callable<Integer> {
        @Option(names = {"-c", "--config"}, required = true, paramLabel = "FILE", description = "config.toml")
        Path config;

        private final UnaryOperator<String> env;
        private final PrintWriter err;

        Validate(UnaryOperator<String> env, PrintWriter err) {
            this.env = env;
            this.err = err;
        }

        @Override
        public Integer call() {
            LagsnapConfig loaded = load(config, env, err);
            new Runner(io.lagsnap.core.sink.SinkRegistry.load(), env).validate(loaded, Shard.ALL);
            err.println("lagsnap: " + config + " is valid: " + loaded.clusters().size() + " cluster(s), "
                    + loaded.sinks().size() + " sink(s)");
            return RunReport.EXIT_OK;
        }
    }

    /** Hands the environment and stderr to the subcommands picocli instantiates. */
    private record Factory(UnaryOperator<String> env, PrintWriter err) implements CommandLine.IFactory {
        @Override
        public <K> K create(Class<K> cls) throws Exception {
            if (cls == Validate.class) {
                return cls.cast(new Validate(env, err));
            }
            return CommandLine.defaultFactory().create(cls);
        }
    }
}
