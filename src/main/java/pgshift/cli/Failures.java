package pgshift.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.sql.SQLException;
import java.util.List;

import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.UnmatchedArgumentException;

import pgshift.failure.PgshiftException;
import pgshift.config.Secrets;
import pgshift.config.Sentences;
import pgshift.console.Console;

/**
 * How failures become messages and exit codes, in one place for both roots: the command line's
 * and the shell's (which adds its own hints, since a shell line has no {@code pgshift} in front).
 */
public final class Failures {

    private Failures() {
    }

    /** Reports a command's failure on the console and returns the exit code it maps to. */
    public static int report(Exception e, Console console, boolean verbose) {
        int code;
        if (e instanceof PgshiftException p) {
            console.error(p.getMessage());
            code = p.exitCode();
        } else if (e instanceof SQLException s && pgshift.db.RunFailures.isConnectionLost(s)) {
            console.error(Sentences.join("Lost the connection to the database: " + oneLine(s.getMessage()),
                    "Nothing more was run; check the server and try again"));
            code = PgshiftException.Kind.CONFIG.exitCode();
        } else if (e instanceof SQLException s) {
            // What pgshift itself asked (reading the ledger, say): the server's words, no guess at the cause.
            console.error(Sentences.join("The database refused a query of pgshift's own (not one of a "
                    + "migration file's): " + oneLine(s.getMessage())
                    + (s.getSQLState() == null ? "" : " (SQLSTATE " + s.getSQLState() + ")")));
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

    /**
     * The word typed where a command was expected, when it names no command ("stauts"); null
     * for any other usage error.
     */
    public static String unknownCommand(ParameterException e) {
        if (e instanceof UnmatchedArgumentException u && !u.isUnknownOption()
                && u.getCommandLine().getCommandSpec().parent() == null
                && !u.getCommandLine().getSubcommands().isEmpty() && !u.getUnmatched().isEmpty()) {
            return u.getUnmatched().get(0);
        }
        return null;
    }

    /**
     * Fails as {@link #unknownCommand} expects when no command matched but a word was left over:
     * picocli lets "stauts --help" through to the help, as if "stauts" were not there.
     */
    public static void requireKnownCommand(ParseResult parsed) {
        if (!parsed.hasSubcommand() && !parsed.unmatched().isEmpty()) {
            throw new UnmatchedArgumentException(parsed.commandSpec().commandLine(), parsed.unmatched());
        }
    }

    /** "Unknown command 'stauts'; did you mean 'status'?", for a usage error {@link #unknownCommand} names. */
    public static String unknownCommandMessage(ParameterException e) {
        String word = unknownCommand(e);
        List<String> like = ((UnmatchedArgumentException) e).getSuggestions();
        return "Unknown command '" + word + "'" + (like.isEmpty() ? "." : "; did you mean '" + like.get(0) + "'?");
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
