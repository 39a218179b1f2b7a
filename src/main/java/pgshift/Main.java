package pgshift;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.Map;

import picocli.CommandLine;

import pgshift.command.PgshiftCommand;
import pgshift.config.Secrets;
import pgshift.console.Console;

/** Entry point: runs one command and maps what happened to an exit code, in one place. */
public final class Main {

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
            pgshift.shell.Shell.rehearse(new PgshiftCommand(env, workingDir, Console.system(env)), Console.system(env));
        }
        System.exit(code);
    }

    /** Runs the command line and returns its exit code; never throws. */
    public static int run(String[] args, Map<String, String> env, Path workingDir, Console console) {
        try {
            if (args.length == 0) {
                // The shell, as the README starts it: no options to parse, so no command model to build first.
                return runShell(new PgshiftCommand(env, workingDir, console), console);
            }
            return commandLine(new PgshiftCommand(env, workingDir, console), console).execute(args);
        } catch (OutOfMemoryError e) {
            return outOfMemory(console);
        }
    }

    /** One command from the command line, which Ctrl-C or SIGTERM cancel on the server before the process ends. */
    private static int runInterruptible(String[] args, Map<String, String> env, Path workingDir, Console console) {
        PgshiftCommand root = new PgshiftCommand(env, workingDir, console);
        return pgshift.command.Interruption.run(root, () -> {
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

    private static int runShell(PgshiftCommand root, Console console) {
        try {
            return root.call();
        } catch (RuntimeException e) {
            return report(e, console, false);
        }
    }

    /** The command tree with pgshift's error handling: the CLI and each shell line use it. */
    public static CommandLine commandLine(PgshiftCommand root, Console console) {
        CommandLine cli = new CommandLine(root);
        // "@name" is SQL (and a version never starts with @): no argument files.
        cli.setExpandAtFiles(false);
        cli.setOut(console.resultWriter());
        cli.setExecutionExceptionHandler((e, cmd, parsed) -> report(e, console, root.verbose()));
        cli.setParameterExceptionHandler((e, args) -> {
            console.error(e.getMessage() + "\nRun '" + e.getCommandLine().getCommandSpec().qualifiedName()
                    + " --help' for the usage.");
            return e.getCommandLine().getCommandSpec().exitCodeOnInvalidInput();
        });
        return cli;
    }

    /** The one place where failures become messages and exit codes. */
    static int report(Exception e, Console console, boolean verbose) {
        int code;
        if (e instanceof PgshiftException p) {
            console.error(p.getMessage());
            code = p.exitCode();
        } else if (e instanceof SQLException s && s.getSQLState() != null && s.getSQLState().startsWith("08")) {
            console.error("Lost the connection to the database: " + oneLine(s.getMessage())
                    + ". Nothing more was run; check the server and try again.");
            code = PgshiftException.Kind.CONFIG.exitCode();
        } else if (e instanceof SQLException s) {
            console.error("The database refused an internal query: " + oneLine(s.getMessage())
                    + (s.getSQLState() == null ? "" : " (SQLSTATE " + s.getSQLState() + ")")
                    + ". Check that the user may read and write the supabase_migrations schema.");
            code = PgshiftException.Kind.MIGRATION.exitCode();
        } else {
            console.error("Unexpected " + e.getClass().getSimpleName() + ": " + oneLine(String.valueOf(e.getMessage()))
                    + causes(e) + (verbose ? "" : " (run with --verbose for the stack trace)"));
            code = PgshiftException.Kind.MIGRATION.exitCode();
        }
        if (verbose) {
            StringWriter trace = new StringWriter();
            e.printStackTrace(new PrintWriter(trace));
            console.notice(Secrets.mask(trace.toString()));
        }
        return code;
    }

    private static String causes(Throwable e) {
        StringBuilder out = new StringBuilder();
        for (Throwable c = e.getCause(); c != null && c != c.getCause(); c = c.getCause()) {
            out.append("; caused by ").append(c.getClass().getSimpleName()).append(": ").append(oneLine(String.valueOf(c.getMessage())));
        }
        return out.toString();
    }

    private static String oneLine(String s) {
        return s.replace('\n', ' ').trim();
    }
}
