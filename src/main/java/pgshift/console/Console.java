package pgshift.console;

import java.io.PrintStream;
import java.util.function.IntSupplier;
import java.util.function.UnaryOperator;

import pgshift.config.Secrets;

/**
 * Where user-facing output goes: results to stdout, notices, warnings and errors to stderr.
 * Colour only on a terminal and never with NO_COLOR; passwords are masked on the way out.
 */
public final class Console {

    private final PrintStream out;
    private final PrintStream err;
    private final boolean color;
    private final IntSupplier width;
    private final UnaryOperator<String> asker;

    /** A console that cannot ask questions and does not fit tables to a width (tests, pipes). */
    public Console(PrintStream out, PrintStream err, boolean color) {
        this(out, err, color, () -> 0, null);
    }

    /**
     * @param width the terminal's width now (it changes when the window is resized); 0 for none
     * @param asker shows a question and returns the typed line (null if none came); null when
     *              there is no terminal to ask on
     */
    private Console(PrintStream out, PrintStream err, boolean color, IntSupplier width, UnaryOperator<String> asker) {
        this.out = out;
        this.err = err;
        this.color = color;
        this.width = width;
        this.asker = asker;
    }

    /** The same console, with tables fitted to a terminal's width. */
    public Console withWidth(IntSupplier terminalWidth) {
        return new Console(out, err, color, terminalWidth, asker);
    }

    /** The same console, asking its questions through the given line reader (the shell's). */
    public Console withAsker(UnaryOperator<String> lineReader) {
        return new Console(out, err, color, width, lineReader);
    }

    /** Whether a person can answer a question (a terminal), so commands may ask instead of refusing. */
    public boolean canAsk() {
        return asker != null;
    }

    /** Shows the question and returns the answer, or null when none came (end of input, Ctrl-C). */
    public String ask(String question) {
        return asker == null ? null : asker.apply(Secrets.mask(question));
    }

    /** The width tables must fit, or 0 when output is not a terminal (nothing is cut). */
    public int width() {
        return width.getAsInt();
    }

    /** The console of a CLI run: colour when stdout is a terminal and NO_COLOR is unset. */
    public static Console system(java.util.Map<String, String> env) {
        boolean tty = System.console() != null;
        boolean noColor = env.containsKey("NO_COLOR") && !env.get("NO_COLOR").isEmpty();
        UnaryOperator<String> asker = tty ? question -> System.console().readLine("%s", question) : null;
        return new Console(System.out, System.err, tty && !noColor && !"dumb".equals(env.get("TERM")), () -> 0, asker);
    }

    /** Results written by libraries (picocli's help), masked like the rest. */
    public java.io.PrintWriter resultWriter() {
        return new java.io.PrintWriter(new java.io.Writer() {
            private final StringBuilder pending = new StringBuilder();

            @Override
            public void write(char[] chars, int off, int len) {
                pending.append(chars, off, len);
            }

            @Override
            public void flush() {
                print(pending.toString());
                pending.setLength(0);
            }

            @Override
            public void close() {
                flush();
            }
        }, true);
    }

    /** A result line: what the user asked for. */
    public void println(String line) {
        out.println(Secrets.mask(line));
        out.flush();
    }

    /** Exact output (JSON): masked, not decorated. */
    public void print(String text) {
        out.print(Secrets.mask(text));
        out.flush();
    }

    /** Something the user should know while the command works. */
    public void notice(String line) {
        err.println(Secrets.mask(line));
        err.flush();
    }

    public void warn(String line) {
        err.println(paint("33", "warning: ") + Secrets.mask(line));
        err.flush();
    }

    public void error(String text) {
        err.println(paint("31", "error: ") + Secrets.mask(text));
        err.flush();
    }

    public String green(String s) {
        return paint("32", s);
    }

    public String red(String s) {
        return paint("31", s);
    }

    public String yellow(String s) {
        return paint("33", s);
    }

    public String bold(String s) {
        return paint("1", s);
    }

    private String paint(String code, String s) {
        return color ? "\u001b[" + code + "m" + s + "\u001b[0m" : s;
    }
}
