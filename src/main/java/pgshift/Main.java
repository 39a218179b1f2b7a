package pgshift;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;

import picocli.CommandLine;
import picocli.CommandLine.ParameterException;

import pgshift.cli.Failures;
import pgshift.failure.PgshiftException;
import pgshift.command.Interruption;
import pgshift.command.PgshiftCommand;
import pgshift.console.Console;
import pgshift.shell.Shell;

/**
 * Entry point: a command runs on the command line; no command (options or not) opens the shell
 * with those options. Failures become exit codes through {@link Failures}.
 */
public final class Main {

    /** Commands that only make sense in an open shell, with what to do instead on the command line. */
    private static final Map<String, String> SHELL_ONLY = Map.of(
            "connect", "connect URL; on the command line use --database-url",
            "rescan", "rescan; on the command line each command reads the folder afresh");

    private Main() {
    }

    public static void main(String[] args) {
        Map<String, String> env = System.getenv();
        if (Arrays.asList(args).contains("--verbose") || Arrays.asList(args).contains("-v")) {
            System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "info");
            System.setProperty("org.slf4j.simpleLogger.log.io.zonky", "info");
        }
        Path workingDir = Path.of("").toAbsolutePath();
        int code = args.length == 0 ? run(args, env, workingDir, Console.system(env))
                : runInterruptible(args, env, workingDir, Console.system(env));
        if ("1".equals(env.get("PGSHIFT_CDS_TRAINING"))) {
            // The launcher's class-data training run (see ./pgshift): the shell's start-up too.
            Shell.rehearse(new PgshiftCommand(env, workingDir, Console.system(env)), Console.system(env));
        }
        System.exit(code);
    }

    /** Runs the command line and returns its exit code; never throws. */
    public static int run(String[] args, Map<String, String> env, Path workingDir, Console console) {
        try {
            PgshiftCommand root = new PgshiftCommand(env, workingDir, console);
            if (args.length == 0) {
                // The shell, as the README starts it: no options to parse, so no command model to build first.
                return shell(root, console);
            }
            return commandLine(root, console).execute(args);
        } catch (OutOfMemoryError e) {
            return outOfMemory(console);
        }
    }

    /** One command from the command line, which Ctrl-C or SIGTERM cancel on the server before the process ends. */
    private static int runInterruptible(String[] args, Map<String, String> env, Path workingDir, Console console) {
        PgshiftCommand root = new PgshiftCommand(env, workingDir, console);
        return Interruption.run(root, () -> {
            try {
                return commandLine(root, console).execute(args);
            } catch (OutOfMemoryError e) {
                return outOfMemory(console);
            }
        });
    }

    private static int outOfMemory(Console console) {
        // Whatever ran is rolled back by the server when the connection goes; say what to do.
        console.error("Ran out of memory (" + Runtime.getRuntime().maxMemory() / (1 << 20) + " MB heap). Nothing "
                + "from the migration that was running is applied: its transaction ends with the connection. "
                + "Give pgshift more memory, e.g. JAVA_OPTS=-Xmx1g ./pgshift ...");
        return PgshiftException.Kind.MIGRATION.exitCode();
    }

    private static int shell(PgshiftCommand options, Console console) {
        try {
            return Shell.start(options, console);
        } catch (RuntimeException e) {
            return Failures.report(e, console, options.verbose());
        }
    }

    /** The command line's tree, with pgshift's error handling; options without a command open the shell. */
    private static CommandLine commandLine(PgshiftCommand root, Console console) {
        CommandLine cli = new CommandLine(root);
        // "@name" is SQL (and a version never starts with @): no argument files.
        cli.setExpandAtFiles(false);
        cli.setOut(console.resultWriter());
        cli.setExecutionStrategy(parsed -> {
            Failures.requireKnownCommand(parsed);
            return parsed.hasSubcommand() || parsed.isUsageHelpRequested() || parsed.isVersionHelpRequested()
                    ? new CommandLine.RunLast().execute(parsed) : shell(root, console);
        });
        cli.setExecutionExceptionHandler((e, cmd, parsed) -> Failures.report(e, console, root.verbose()));
        cli.setParameterExceptionHandler((e, args) -> {
            console.error(usageError(e));
            return e.getCommandLine().getCommandSpec().exitCodeOnInvalidInput();
        });
        return cli;
    }

    private static String usageError(ParameterException e) {
        String word = Failures.unknownCommand(e);
        if (word == null && e.getValue() != null && SHELL_ONLY.containsKey(e.getValue())) {
            word = e.getValue(); // help connect: picocli's help names the unknown subcommand as the value
        }
        if (word != null && SHELL_ONLY.containsKey(word)) {
            return word + " is a shell command: start the shell with ./pgshift, then type " + SHELL_ONLY.get(word) + ".";
        }
        if (word != null) {
            return Failures.unknownCommandMessage(e) + "\nRun 'pgshift --help' for the commands.";
        }
        return e.getMessage() + "\nRun '" + e.getCommandLine().getCommandSpec().qualifiedName() + " --help' for the usage.";
    }
}
