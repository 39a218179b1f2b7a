package pgshift.migration;

import java.util.regex.Pattern;

/**
 * Finds the comments that ask for a file to run statement by statement without a transaction:
 * pgshift's own, and those of the tools whose migration folders pgshift is asked to run, each by
 * that tool's own rule so a file keeps the meaning it had there.
 */
final class NoTransactionMarkers {

    static final String PGSHIFT = "-- pgshift:no-transaction";
    static final String GRAPHILE_MIGRATE = "--! no-transaction";
    static final String POSTGRES_MIGRATIONS = "-- postgres-migrations disable-transaction";

    /** pgshift: the first non-blank line, any case and spacing. */
    private static final Pattern PGSHIFT_LINE =
            Pattern.compile("--\\s*pgshift\\s*:\\s*no-transaction\\s*", Pattern.CASE_INSENSITIVE);
    /**
     * graphile-migrate (header.ts, isNoTransactionDefined): the first line of the migration body,
     * which starts after the {@code --! Previous:}, {@code --! Hash:} ... header lines of a
     * committed migration (parseMigrationText); case-sensitive, anything may follow the word.
     */
    private static final Pattern GRAPHILE_LINE = Pattern.compile("--!\\s*no-transaction\\b.*");
    private static final Pattern GRAPHILE_HEADER = Pattern.compile("--! [A-Z][a-zA-Z0-9_]*(:.*)?");
    /** Longer lines cannot be a marker; stop reading there instead of buffering them. */
    private static final int LINE_MAX_LENGTH = 200;
    /** graphile-migrate writes at most four headers; more lines than this are not a header. */
    private static final int HEADER_MAX_LINES = 10;

    private NoTransactionMarkers() {
    }

    /**
     * The marker at the head of the script ({@link #PGSHIFT} or {@link #GRAPHILE_MIGRATE}), or
     * null; reads ahead in {@code source} without consuming anything.
     */
    static String inHead(CharSource source) {
        int index = skipSpace(source, 0);
        String first = line(source, index);
        if (PGSHIFT_LINE.matcher(first).matches()) {
            return PGSHIFT;
        }
        String line = first;
        for (int headers = 0; headers < HEADER_MAX_LINES && GRAPHILE_HEADER.matcher(line).matches(); headers++) {
            index = skipSpace(source, index + line.length());
            line = line(source, index);
        }
        return GRAPHILE_LINE.matcher(line).matches() ? GRAPHILE_MIGRATE : null;
    }

    /**
     * {@link #POSTGRES_MIGRATIONS} when a comment holds it, else null. postgres-migrations
     * (run-migration.ts) looks for the text anywhere in the file; here it counts only in a
     * comment, where it cannot be part of the SQL.
     */
    static String inComment(CharWindow window, int start, int end) {
        int length = POSTGRES_MIGRATIONS.length();
        for (int i = start; i + length <= end; i++) {
            if (window.charAt(i) == '-' && window.charAt(i + 1) == '-' && window.text(i, i + length).equals(POSTGRES_MIGRATIONS)) {
                return POSTGRES_MIGRATIONS;
            }
        }
        return null;
    }

    private static int skipSpace(CharSource source, int index) {
        while (LedgerText.isSpace(source.charAt(index))) {
            index++;
        }
        return index;
    }

    /** The line starting at {@code index}, without its line break (a CR before the LF is dropped). */
    private static String line(CharSource source, int index) {
        StringBuilder line = new StringBuilder();
        for (int c = source.charAt(index); line.length() < LINE_MAX_LENGTH && c >= 0 && c != '\n';
             c = source.charAt(++index)) {
            line.append((char) c);
        }
        int length = line.length();
        return length > 0 && line.charAt(length - 1) == '\r' ? line.substring(0, length - 1) : line.toString();
    }
}
