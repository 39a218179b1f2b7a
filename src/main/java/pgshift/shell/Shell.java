package pgshift.shell;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;

import org.jline.reader.EndOfFileException;
import org.jline.reader.LineReader;
import org.jline.reader.LineReaderBuilder;
import org.jline.reader.Parser;
import org.jline.reader.UserInterruptException;
import org.jline.reader.impl.DefaultParser;
import org.jline.terminal.Size;
import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;

import picocli.CommandLine;

import pgshift.failure.PgshiftException;
import pgshift.command.Context;
import pgshift.command.PgshiftCommand;
import pgshift.config.DatabaseUrl;
import pgshift.console.Console;
import pgshift.migration.MigrationFolder;
import pgshift.migration.Plan;

/**
 * The shell: the CLI's commands under its own root ({@link ShellCommands}), one line at a time,
 * on one context that stays open (so the embedded server starts once and connections stay warm).
 * On a terminal it is a JLine REPL; with piped input it runs the lines in order, without prompts,
 * and exits with 1 if any command failed.
 */
public final class Shell {

    /** How long the first prompt waits for its plan before showing a placeholder. */
    private static final long FIRST_PROMPT_WAIT_MS = 250;

    private final Console console;
    private final Context context;
    private final Parser parser = new DefaultParser();
    private final ShellWatch watch;
    private final ShellCommands root;
    /** Ctrl-C was pressed while the current line's command ran. */
    private final AtomicBoolean ctrlC = new AtomicBoolean();
    /** The command tree, built once on another thread while the terminal starts; reused for every line. */
    private final CompletableFuture<CommandLine> commands;
    /** The interactive terminal and line reader; null with piped input. */
    private volatile Terminal terminal;
    private volatile LineReader reader;

    private Shell(PgshiftCommand options, Console base, boolean interactive) {
        this.console = interactive ? base.withWidth(this::terminalWidth).withAsker(this::ask) : base;
        this.context = options.sharedContext(console);
        this.watch = new ShellWatch(context, console, this::printAbove, this::redrawPrompt);
        this.root = new ShellCommands(options, context, watch);
        this.commands = CompletableFuture.supplyAsync(() -> root.commandLine(console, ctrlC::get));
    }

    /** Ends what the shell started: a watch, kept connections, the embedded server. */
    private void close() {
        watch.close();
        context.release();
    }

    /**
     * Runs the shell with the options given on the command line (the defaults of each line's
     * options; --database-url and --dir hold for the whole shell); returns the exit code.
     */
    public static int start(PgshiftCommand options, Console console) {
        if (System.console() == null) {
            Shell shell = new Shell(options, console, false);
            try {
                return shell.runLines(new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)));
            } finally {
                shell.close();
            }
        }
        return interactive(options, console, Shell::systemTerminal, Path.of(System.getProperty("user.home"), ".pgshift_history"));
    }

    private static Terminal systemTerminal() {
        try {
            // No grapheme-cluster probe: a terminal that never answers it costs half a second at start-up.
            Terminal terminal = TerminalBuilder.builder().system(true).dumb(true).graphemeCluster(false).build();
            if (terminal.getWidth() <= 0) {
                // A pseudo-terminal nobody sized (some CI runners, script(1)): JLine would cut every line to nothing.
                terminal.setSize(new Size(80, 24));
            }
            return terminal;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The interactive shell, until exit or end of input (tests drive it through a dumb terminal
     * over byte streams).
     *
     * @param console  where command output goes; the terminal carries prompt and typing
     * @param terminal opens the terminal; meanwhile the first prompt's plan is computed on another thread
     */
    public static int interactive(PgshiftCommand options, Console console, Supplier<Terminal> terminal, Path historyFile) {
        Shell shell = new Shell(options, console, true);
        try {
            CompletableFuture<String> firstPrompt = CompletableFuture.supplyAsync(shell::prompt);
            try (Terminal opened = terminal.get()) {
                shell.terminal = opened;
                return shell.runInteractive(opened, historyFile, firstPrompt);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            shell.close();
        }
    }

    /**
     * An interactive start on a terminal with no input, for the launcher's class-data training
     * run: it loads the classes a real start loads (line reader, key maps, completion, command
     * tree), so the shell's first prompt does not wait for them.
     */
    public static void rehearse(PgshiftCommand options, Console console) {
        Path history = null;
        try {
            history = java.nio.file.Files.createTempFile("pgshift-training", ".history");
            interactive(options, console, () -> {
                try {
                    return new org.jline.terminal.impl.DumbTerminal("training", "ansi", java.io.InputStream.nullInputStream(),
                            java.io.OutputStream.nullOutputStream(), StandardCharsets.UTF_8);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }, history);
        } catch (IOException | RuntimeException e) {
            // a rehearsal: whatever it loaded before failing is loaded
        } finally {
            if (history != null) {
                history.toFile().delete();
            }
        }
    }

    private int terminalWidth() {
        Terminal current = terminal;
        return current == null ? 0 : current.getWidth();
    }

    /** Piped input: every line is a command; no prompt, no colour, no questions. */
    private int runLines(BufferedReader in) {
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

    private int runInteractive(Terminal terminal, Path historyFile, CompletableFuture<String> firstPrompt) {
        reader = LineReaderBuilder.builder().terminal(terminal).appName("pgshift").parser(parser)
                .completer(new ShellCompleter(commands::join, this::currentPlan))
                .history(new MaskedHistory())
                .variable(LineReader.HISTORY_FILE, historyFile)
                .build();
        // Ctrl-C while a command runs: cancel its statement on the server, keep the shell. At the
        // prompt, JLine reports it as UserInterruptException instead (the line is cleared). Nothing
        // is printed here: the command reports the cancel once, and a line before it would only
        // repeat it (or, when the statement had just ended, announce a cancel that never came).
        Thread commands = Thread.currentThread();
        terminal.handle(Terminal.Signal.INT, signal -> {
            ctrlC.set(true);
            context.cancelRunning();
            commands.interrupt(); // and whatever waits between statements (the migration lock)
        });
        console.notice("pgshift shell: type help for the commands, exit or Ctrl-D to leave.");
        String next = firstPromptOrPlaceholder(firstPrompt);
        while (true) {
            String line;
            try {
                line = reader.readLine(next == null ? prompt() : next);
                next = null;
            } catch (UserInterruptException e) {
                continue; // Ctrl-C at the prompt clears the line
            } catch (EndOfFileException e) {
                break;
            }
            if (execute(line) == Result.EXIT) {
                break;
            }
        }
        try {
            reader.getHistory().save();
        } catch (IOException e) {
            console.warn("Cannot save the line history to " + historyFile + ": " + e.getMessage());
        }
        return 0;
    }

    /**
     * The first prompt when its plan is ready soon; else (an embedded server starting, a slow
     * network) a placeholder, so typing can begin, replaced by the real prompt once it is known.
     */
    private String firstPromptOrPlaceholder(CompletableFuture<String> firstPrompt) {
        try {
            return firstPrompt.get(FIRST_PROMPT_WAIT_MS, TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            firstPrompt.thenRunAsync(() -> {
                // The reader may not be reading yet when the plan arrives: wait until it is (briefly).
                for (int i = 0; i < 100 && !reader.isReading(); i++) {
                    LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
                }
                redrawPrompt();
            });
            return "pgshift (connecting...)> ";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return prompt();
        } catch (ExecutionException e) {
            return prompt();
        }
    }

    /** A question asked during a command (a remote apply's confirmation), answered on the shell's terminal. */
    private String ask(String question) {
        try {
            return reader == null ? null : reader.readLine(question);
        } catch (UserInterruptException | EndOfFileException e) {
            return null;
        }
    }

    /**
     * A message from the watch, which runs on its own thread: above the prompt while a line is
     * being typed (the typing stays intact), else printed plainly.
     */
    private void printAbove(String message) {
        LineReader current = reader;
        if (current != null && current.isReading()) {
            current.printAbove(pgshift.config.Secrets.mask(message));
        } else {
            console.println(message);
        }
    }

    /** The watch became blocked or unblocked: show it in the prompt at once. */
    private void redrawPrompt() {
        LineReader current = reader;
        if (current != null && current.isReading()) {
            PromptRedraw.redraw(current, prompt()); // prompt() asks the database: not while holding the reader
        }
    }

    /** The plan as of now, for the prompt and for completing versions. */
    private Plan currentPlan() {
        try (Connection conn = context.database().connection()) {
            return context.plan(conn, MigrationFolder.scan(context.folder()));
        } catch (SQLException e) {
            throw PgshiftException.config("Cannot read the ledger: " + e.getMessage(), e);
        }
    }

    /**
     * "pgshift app@localhost:5432/app local 2 pending> ", plus "[watching]" or "[watch: blocked on
     * VERSION]": where commands go, refreshed after each one.
     */
    private String prompt() {
        DatabaseUrl url;
        try {
            url = context.url();
        } catch (RuntimeException e) {
            return "pgshift " + console.red("(no database)") + "> ";
        }
        String where = "pgshift " + url.target() + " " + (url.isLocal() ? console.green("local") : console.red("REMOTE"));
        try {
            String counts = PromptCounts.of(currentPlan().counts());
            String watching = watch.promptPart();
            return where + " " + counts + (watching.isEmpty() ? "" : " [" + watching + "]") + "> ";
        } catch (RuntimeException e) {
            return where + " " + console.red("unreachable") + "> ";
        }
    }

    private enum Result { OK, FAILED, EXIT }

    private Result execute(String text) {
        ShellLine line = ShellLine.parse(parser, text);
        switch (line.kind()) {
            case NOTHING:
                return Result.OK;
            case OPTION_FIRST:
                console.error("A shell line starts with a command; its options come after it, e.g. apply --yes. "
                        + "Type 'help' for the commands.");
                return Result.FAILED;
            default:
                ctrlC.set(false);
                int code = commands.join().execute(line.args().toArray(new String[0]));
                Thread.interrupted(); // a Ctrl-C that came as the command ended must not reach the next line
                if (root.exitRequested()) {
                    return Result.EXIT;
                }
                watch.afterCommand();
                return code == 0 ? Result.OK : Result.FAILED;
        }
    }
}
