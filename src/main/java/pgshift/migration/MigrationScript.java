package pgshift.migration;

import java.io.IOException;
import java.io.Reader;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import pgshift.failure.PgshiftException;

/**
 * A migration file's statements, split once: what is executed and, as text, what the ledger
 * records. The file itself is streamed through the splitter, never held as a whole.
 */
public record MigrationScript(MigrationFile file, List<SqlStatement> statements, String noTransactionMarker) {

    public static MigrationScript load(MigrationFile file) {
        try (Reader reader = ScriptReader.open(file.path())) {
            SqlSplitter splitter = new SqlSplitter(reader, file.fileName());
            List<SqlStatement> statements = new ArrayList<>();
            for (SqlStatement s = splitter.next(); s != null; s = splitter.next()) {
                statements.add(s);
            }
            return new MigrationScript(file, List.copyOf(statements), splitter.noTransactionMarker());
        } catch (IOException e) {
            throw PgshiftException.migration("Cannot read " + file.path() + ": " + e.getMessage());
        }
    }

    /** The statements as the Supabase CLI records them in the ledger's {@code statements} column. */
    public List<String> texts() {
        List<String> texts = new ArrayList<>(statements.size());
        for (SqlStatement s : statements) {
            texts.add(s.text());
        }
        return texts;
    }

    /** The size of the statements in characters, to budget how many scripts to keep in memory. */
    public long chars() {
        long chars = 0;
        for (SqlStatement s : statements) {
            chars += s.text().length();
        }
        return chars;
    }

    /** The first statement PostgreSQL refuses inside a transaction block, if any. */
    public Optional<SqlStatement> firstNonTransactional() {
        return statements.stream().filter(s -> s.txMode() == SqlStatement.TxMode.NO_TRANSACTION).findFirst();
    }

    /**
     * Whether the file may leave something in its session for the next file: a SET or RESET,
     * set_config, SET ROLE, a prepared statement, a cursor, LISTEN, a temporary table, or a DO
     * block or CALL that could do any of these. Checked by the statements' words, so a function
     * called by a plain SELECT that changes a setting for the session is not seen.
     */
    public boolean mayChangeSession() {
        for (SqlStatement s : statements) {
            String word = s.firstWord().toLowerCase(java.util.Locale.ROOT);
            switch (word) {
                case "set", "reset", "prepare", "declare", "listen", "discard", "do", "call", "load" -> {
                    return true;
                }
                default -> {
                    // Searched in place, from each '_': lower-casing a copy of every statement cost
                    // 0.25 s for a 47 MB file, a search by char 0.16 s (C1).
                    String text = s.text();
                    if (containsSetConfig(text) || word.equals("create") && containsIgnoreCase(text, "temp")) {
                        return true;
                    }
                }
            }
        }
        return false;
    }

    /** Whether {@code text} contains set_config, in any case. */
    private static boolean containsSetConfig(String text) {
        for (int i = text.indexOf('_', 3); i >= 0; i = text.indexOf('_', i + 1)) {
            if (text.regionMatches(true, i - 3, "set_config", 0, 10)) {
                return true;
            }
        }
        return false;
    }

    /** Whether {@code text} contains {@code lowerAscii} (lower-case ASCII), ignoring ASCII case. */
    static boolean containsIgnoreCase(String text, String lowerAscii) {
        char first = lowerAscii.charAt(0);
        char upper = Character.toUpperCase(first);
        int last = text.length() - lowerAscii.length();
        for (int i = 0; i <= last; i++) {
            char c = text.charAt(i);
            if ((c == first || c == upper) && text.regionMatches(true, i, lowerAscii, 0, lowerAscii.length())) {
                return true;
            }
        }
        return false;
    }

    /** True when the file must run statement by statement in autocommit mode. */
    public boolean runsWithoutTransaction() {
        return noTransactionMarker != null || firstNonTransactional().isPresent();
    }

    /** Why the file runs without a transaction, for the notice before it does. */
    public String reasonWithoutTransaction() {
        return firstNonTransactional()
                .map(s -> "has a statement that cannot run inside a transaction (line " + s.codeStart().line() + ": "
                        + StatementNormalizer.firstWords(s.text()) + ")")
                .orElse("asks to run without a transaction (" + noTransactionMarker + ")");
    }

    /**
     * The statements to run inside pgshift's transaction. A file wrapped in its own BEGIN ... COMMIT
     * (common in hand-written Supabase migrations) runs without the redundant pair; any other
     * transaction control would commit half a file, so it is refused before anything runs.
     *
     * @param displayPath the file as messages name it
     */
    public List<SqlStatement> transactionalBody(String displayPath) {
        List<Integer> control = new ArrayList<>();
        for (int i = 0; i < statements.size(); i++) {
            if (statements.get(i).txMode() == SqlStatement.TxMode.TRANSACTION_CONTROL) {
                control.add(i);
            }
        }
        if (control.isEmpty()) {
            return statements;
        }
        int last = statements.size() - 1;
        if (last > 0 && statements.get(last).isCommentOnly()) {
            last--;
        }
        if (control.size() == 2 && control.get(0) == 0 && control.get(1) == last
                && keyword(statements.get(0)).matches("begin|start") && keyword(statements.get(last)).matches("commit|end")) {
            List<SqlStatement> body = new ArrayList<>(statements);
            body.remove(last);
            body.remove(0);
            return body;
        }
        SqlStatement offending = statements.get(control.get(control.get(0) == 0 && control.size() > 1 ? 1 : 0));
        TextPosition at = offending.codeStart();
        throw PgshiftException.migration(displayPath + ":" + at.line() + ":" + at.column() + ": "
                + StatementNormalizer.firstWords(offending.text()) + " would end or restart the transaction pgshift "
                + "runs this file in, so the file could be half-applied. Remove it (a single BEGIN ... COMMIT around "
                + "the whole file is fine), or put -- pgshift:no-transaction on the first line to run the file "
                + "statement by statement.");
    }

    private static String keyword(SqlStatement statement) {
        String normalized = StatementNormalizer.normalize(statement.text()).toLowerCase(java.util.Locale.ROOT);
        int end = 0;
        while (end < normalized.length() && Character.isLetter(normalized.charAt(end))) {
            end++;
        }
        return normalized.substring(0, end);
    }
}
