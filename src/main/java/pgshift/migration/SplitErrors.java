package pgshift.migration;

import pgshift.failure.PgshiftException;

/**
 * The messages for scripts the splitter cannot cut: each names {@code file:line:column}, says
 * what is wrong and what to do.
 */
final class SplitErrors {

    private SplitErrors() {
    }

    static PgshiftException metaCommand(String source, TextPosition at, String command) {
        if (command.equals("\\.")) {
            return PgshiftException.migration(String.format(
                    "%s: found \\., which ends the data of a COPY ... FROM stdin, but no COPY ... FROM stdin;"
                            + " comes before it, so the lines above it would be sent as SQL. Start the data"
                            + " with a COPY table (columns) FROM stdin; line, or remove the \\. line.",
                    where(source, at)));
        }
        return PgshiftException.migration(String.format(
                "%s: found the psql meta-command %s, but psql meta-commands are not supported in"
                        + " migration files, because pgshift sends the file to PostgreSQL as plain SQL"
                        + " and only psql understands backslash commands. Remove it and write the SQL it"
                        + " stood for (for \\i, paste the included file's statements or make it a"
                        + " migration of its own; for \\set, write the value in place); a backslash that"
                        + " belongs to data must be inside a string literal.",
                where(source, at), command));
    }

    static PgshiftException copyNotEnded(String source, TextPosition at) {
        return PgshiftException.migration(String.format(
                "%s: the COPY ... FROM stdin that starts here has no end-of-data line: its data runs to the"
                        + " end of the file. End the data with a line holding only \\. (backslash, period),"
                        + " as pg_dump writes it.",
                where(source, at)));
    }

    static PgshiftException textAfterCopy(String source, TextPosition at) {
        return PgshiftException.migration(String.format(
                "%s: text follows the ; of COPY ... FROM stdin on the same line, where pgshift expects the"
                        + " end of the line: the data lines start on the next line. Move what follows the ;"
                        + " to a line after the data's closing \\. line.",
                where(source, at)));
    }

    static PgshiftException unterminated(String source, TextPosition at, SqlLexer.Kind kind, String opening) {
        String what;
        String fix;
        switch (kind) {
            case STRING -> {
                what = "string literal";
                fix = "Add the closing ' (a quote inside the string is written '')";
            }
            case ESCAPE_STRING -> {
                what = "escape string";
                fix = "Add the closing ' (inside E'...' a quote is written \\' or '' and a backslash \\\\)";
            }
            case QUOTED_IDENTIFIER -> {
                what = "quoted identifier";
                fix = "Add the closing \" (a double quote inside the name is written \"\")";
            }
            case DOLLAR_STRING -> {
                what = "dollar-quoted string";
                fix = "Add the closing " + opening + ", which must repeat the opening tag exactly, case included";
            }
            default -> {
                what = "block comment";
                fix = "Add the closing */ (block comments nest, so every /* inside needs its own */)";
            }
        }
        return PgshiftException.migration(String.format(
                "%s: the %s opened here with %s is never closed, so the whole rest of the file would"
                        + " be part of it. %s.",
                where(source, at), what, opening, fix));
    }

    private static String where(String source, TextPosition at) {
        return source + ":" + at.line() + ":" + at.column();
    }
}
