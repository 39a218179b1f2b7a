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

import pgshift.Main;
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
        try (Terminal terminal = TerminalBuilder.builder().system(true).dumb(true).build()) {
            LineReader reader = LineReaderBuilder.builder().terminal(terminal).appName("pgshift").parser(parser)
                    .history(new MaskedHistory())
                    .variable(LineReader.HISTORY_FILE, Path.of(System.getProperty("user.home"), ".pgshift_history"))
                    .build();
            console.notice("pgshift shell: type help for the commands, exit or Ctrl-D to leave.");
            while (true) {
                String line;
                try {
                    line = reader.readLine("pgshift> ");
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
