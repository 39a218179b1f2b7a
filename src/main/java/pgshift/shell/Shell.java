package pgshift.shell;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

import org.jline.reader.EndOfFileException;
import org.jline.reader.LineReader;
import org.jline.reader.LineReaderBuilder;
import org.jline.reader.Parser;
import org.jline.reader.UserInterruptException;
import org.jline.reader.impl.DefaultParser;
import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;

import java.sql.Connection;
import java.sql.SQLException;

import picocli.CommandLine;

import pgshift.Main;
import pgshift.config.DatabaseUrl;
import pgshift.migration.MigrationFolder;
import pgshift.migration.MigrationState;
import pgshift.migration.Plan;
import pgshift.command.Context;
import pgshift.command.PgshiftCommand;
import pgshift.console.Console;

/**
 * The shell: the CLI's commands, one line at a time, on one context that stays open (so the
 * embedded server starts once). On a terminal it is a JLine REPL; with piped input it runs the
 * lines in order, without prompts, and exits with 1 if any command failed.
 */
public final class Shell {

    private final PgshiftCommand options;
    private final Console console;
    private final Context context;
    private final Parser parser = new DefaultParser();

    private Shell(PgshiftCommand options, Console console, Context context) {
        this.options = options;
        this.console = console;
        this.context = context;
    }

    /** Runs the shell with the options given on the command line; returns the exit code. */
    public static int start(PgshiftCommand options, Console console) {
        Context context = options.sharedContext();
        Shell shell = new Shell(options, console, context);
        try {
            return System.console() == null ? shell.runLines() : shell.runInteractive();
        } finally {
            context.release();
        }
    }

    /** Piped input: every line is a command; no prompt, no colour, no questions. */
    private int runLines() {
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        boolean failed = false;
        try {
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                Result result = execute(line);
                if (result == Result.EXIT) {
                    break;
                }
                failed |= result == Result.FAILED;
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return failed ? 1 : 0;
    }

    private int runInteractive() {
        // No grapheme-cluster probe: a terminal that never answers it costs half a second at start-up.
        try (Terminal terminal = TerminalBuilder.builder().system(true).dumb(true).graphemeCluster(false).build()) {
            CommandLine commands = Main.commandLine(new PgshiftCommand(options.environment(), options.workingDir(),
                    console), console);
            LineReader reader = LineReaderBuilder.builder().terminal(terminal).appName("pgshift").parser(parser)
                    .completer(new ShellCompleter(commands, this::currentPlan))
                    .history(new MaskedHistory())
                    .variable(LineReader.HISTORY_FILE, Path.of(System.getProperty("user.home"), ".pgshift_history"))
                    .build();
            // Ctrl-C while a command runs: cancel its statement on the server, keep the shell. At the
            // prompt, JLine reports it as UserInterruptException instead (the line is cleared).
            terminal.handle(Terminal.Signal.INT, signal -> {
                if (context.cancelRunning()) {
                    console.notice("Cancelling the running statement...");
                }
            });
            console.notice("pgshift shell: type help for the commands, exit or Ctrl-D to leave.");
            while (true) {
                String line;
                try {
                    line = reader.readLine(prompt());
                } catch (UserInterruptException e) {
                    continue; // Ctrl-C at the prompt clears the line
                } catch (EndOfFileException e) {
                    break;
                }
                if (execute(line) == Result.EXIT) {
                    break;
                }
            }
            reader.getHistory().save();
            return 0;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The plan as of now, for the prompt and for completing versions. */
    private Plan currentPlan() {
        try (Connection conn = context.database().connection()) {
            return context.plan(conn, MigrationFolder.scan(context.folder()));
        } catch (SQLException e) {
            throw pgshift.PgshiftException.config("Cannot read the ledger: " + e.getMessage(), e);
        }
    }

    /** "pgshift app@localhost:5432/app local 2 pending> ": where commands go, refreshed after each one. */
    private String prompt() {
        try {
            Plan plan = currentPlan();
            long pending = plan.entries().stream()
                    .filter(e -> e.state() == MigrationState.PENDING || e.state() == MigrationState.OUT_OF_ORDER).count();
            DatabaseUrl url = context.url();
            return "pgshift " + url.target() + " " + (url.isLocal() ? console.green("local") : console.red("REMOTE"))
                    + " " + pending + " pending> ";
        } catch (RuntimeException e) {
            return "pgshift " + console.red("(no database: " + firstLine(e.getMessage()) + ")") + "> ";
        }
    }

    private static String firstLine(String message) {
        String m = String.valueOf(message);
        int cut = m.indexOf(':') > 0 ? m.indexOf(':') : Math.min(m.length(), 40);
        return m.substring(0, cut);
    }

    private enum Result { OK, FAILED, EXIT }

    private Result execute(String line) {
        List<String> words = parser.parse(line, 0, Parser.ParseContext.ACCEPT_LINE).words().stream()
                .filter(w -> !w.isEmpty()).toList();
        if (words.isEmpty() || words.get(0).startsWith("#")) {
            return Result.OK;
        }
        if (words.get(0).equals("exit") || words.get(0).equals("quit")) {
            return Result.EXIT;
        }
        if (words.get(0).startsWith("-")) {
            console.error("A shell line starts with a command (status, apply, ...); options such as --database-url "
                    + "are given when the shell starts.");
            return Result.FAILED;
        }
        PgshiftCommand root = new PgshiftCommand(options.environment(), options.workingDir(), console);
        root.share(context);
        int code = Main.commandLine(root, console).execute(words.toArray(new String[0]));
        return code == 0 ? Result.OK : Result.FAILED;
    }
}
