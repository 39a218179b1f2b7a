package pgshift.testing;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.jline.terminal.Terminal;
import org.jline.terminal.impl.DumbTerminal;

import pgshift.command.PgshiftCommand;
import pgshift.console.Console;
import pgshift.shell.Shell;

/**
 * The real interactive shell on a JLine dumb terminal over byte streams: the test types keys,
 * raises Ctrl-C as the terminal would, and reads everything the shell wrote (prompt, echo and
 * command output, in order).
 */
public final class ShellSession implements AutoCloseable {

    /** A prompt at the very end of the output (after it, only a terminal's control sequences). */
    private static final java.util.regex.Pattern PROMPT_AT_END =
            java.util.regex.Pattern.compile("(pending|modified|missing|out-of-order|unreachable|no database\\)|])> "
                    + "(\u001b\\[[0-9;?]*[a-zA-Z]|\r)*$");

    private final PipedOutputStream keys = new PipedOutputStream();
    private final Screen screen = new Screen();
    private final Terminal terminal;
    private final CompletableFuture<Integer> exit;
    /** Where the last wait left off, so each wait looks only at new output. */
    private int mark;

    private ShellSession(Path workDir, Map<String, String> env, Path historyFile, String type) throws IOException {
        PipedInputStream typed = new PipedInputStream(keys, 1 << 16);
        terminal = new DumbTerminal("pgshift-test", type, typed, screen, StandardCharsets.UTF_8);
        terminal.setSize(new org.jline.terminal.Size(160, 40));
        PrintStream print = new PrintStream(screen, true, StandardCharsets.UTF_8);
        Console console = new Console(print, print, false);
        PgshiftCommand options = new PgshiftCommand(env, workDir, console);
        exit = CompletableFuture.supplyAsync(() -> Shell.interactive(options, console, () -> terminal, historyFile));
    }

    /** Starts the shell in workDir with the given environment (DATABASE_URL, ...). */
    public static ShellSession start(Path workDir, Map<String, String> env, Path historyFile) {
        return start(workDir, env, historyFile, Terminal.TYPE_DUMB);
    }

    /**
     * @param type the terminal type the shell sees: JLine reads a "dumb" one line by line, without
     *             completion, so completion tests give another
     */
    public static ShellSession start(Path workDir, Map<String, String> env, Path historyFile, String type) {
        try {
            return new ShellSession(workDir, env, historyFile, type);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Types the text as keys (a line needs its "\n"). */
    public ShellSession type(String text) {
        try {
            keys.write(text.getBytes(StandardCharsets.UTF_8));
            keys.flush();
            return this;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Waits until the shell shows its prompt: it is ready for a line. */
    public ShellSession awaitPrompt() {
        awaitOutput("pending> ");
        return this;
    }

    /** Types a line, waits for the next prompt, and returns what the shell printed for it. */
    public String run(String line) {
        int from = screen.length();
        type(line + "\n");
        waitFor("the prompt after '" + line + "'", () -> screen.text().indexOf("> ", from + line.length()) >= 0
                && PROMPT_AT_END.matcher(screen.text().substring(from)).find());
        mark = screen.length();
        return screen.text().substring(from);
    }

    /** Waits until anything the shell printed so far contains the text (for output from another thread). */
    public void awaitScreen(String text) {
        waitFor("'" + text + "'", () -> screen.text().contains(text));
    }

    /** Waits until the shell's output since the last wait contains the text; returns that output. */
    public String awaitOutput(String text) {
        waitFor("'" + text + "'", () -> screen.text().indexOf(text, mark) >= 0);
        String seen = screen.text().substring(mark);
        mark += seen.length();
        return seen;
    }

    private void waitFor(String what, java.util.concurrent.Callable<Boolean> condition) {
        try {
            await().atMost(Duration.ofSeconds(60)).until(condition);
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            String ended = !exit.isDone() ? "" : exit.isCompletedExceptionally()
                    ? "; the shell failed: " + exit.handle((code, error) -> String.valueOf(error)).join()
                    : "; the shell exited with " + exit.join();
            throw new AssertionError("the shell did not print " + what + " within 60 s" + ended + "; the screen so far:\n"
                    + screen.text(), e);
        }
    }

    /** Ctrl-C as the terminal delivers it while a command runs: a SIGINT. */
    public void interrupt() {
        terminal.raise(Terminal.Signal.INT);
    }

    public String screen() {
        return screen.text();
    }

    /** Waits for the shell to end and returns its exit code. */
    public int awaitExit() {
        try {
            return exit.get(60, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("the shell did not exit; screen:\n" + screen.text(), e);
        }
    }

    @Override
    public void close() throws IOException {
        if (!exit.isDone()) {
            keys.close(); // end of input: the shell exits as on Ctrl-D
            awaitExit();
        }
        terminal.close();
    }
}
