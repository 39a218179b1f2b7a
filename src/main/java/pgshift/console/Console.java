package pgshift.console;

import java.io.PrintStream;

import pgshift.config.Secrets;

/**
 * Where user-facing output goes: results to stdout, notices, warnings and errors to stderr.
 * Colour only on a terminal and never with NO_COLOR; passwords are masked on the way out.
 */
public final class Console {

    private final PrintStream out;
    private final PrintStream err;
    private final boolean color;

    public Console(PrintStream out, PrintStream err, boolean color) {
        this.out = out;
        this.err = err;
        this.color = color;
    }

    /** The console of a CLI run: colour when stdout is a terminal and NO_COLOR is unset. */
    public static Console system(java.util.Map<String, String> env) {
        boolean tty = System.console() != null;
        boolean noColor = env.containsKey("NO_COLOR") && !env.get("NO_COLOR").isEmpty();
        return new Console(System.out, System.err, tty && !noColor && !"dumb".equals(env.get("TERM")));
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
