package pgshift.db;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

import java.util.Iterator;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.function.Supplier;

import pgshift.PgshiftException;
import pgshift.migration.LedgerRow;
import pgshift.migration.MigrationFile;
import pgshift.migration.MigrationScript;
import pgshift.migration.ScriptStream;
import pgshift.migration.SqlStatement;
import pgshift.migration.StatementNormalizer;
import pgshift.migration.TextPosition;

/**
 * Runs one migration file and records it: normally in one transaction together with its ledger
 * row; statement by statement in autocommit when the file holds statements that cannot run in a
 * transaction.
 */
public final class Executor {

    /** Files up to this size send their ledger row as SQL text; bigger ones bind it as a parameter. */
    private static final long INLINE_LEDGER_CHARS = 256 * 1024;

    private final Connection conn;
    private final Consumer<String> notices;
    private final Supplier<Connection> aside;

    /** @param notices hears what the user must know before something happens (e.g. no transaction) */
    public Executor(Connection conn, Consumer<String> notices) {
        this(conn, notices, null);
    }

    /**
     * @param aside opens a second connection, for writing a big file's ledger row while the file
     *              runs (see {@link LedgerStaging}); null to write it after the file, on {@code conn}
     */
    public Executor(Connection conn, Consumer<String> notices, Supplier<Connection> aside) {
        this.conn = conn;
        this.notices = notices;
        this.aside = aside;
    }

    /** What applying one file did. */
    public record Applied(int statements, long millis) {
    }

    /** Where the statements of a transactional run come from; null at the end. */
    private interface StatementSource {
        SqlStatement next() throws NotPlain;
    }

    /** The streamed file turned out to need the regular path (no transaction, BEGIN/COMMIT, ...). */
    private static final class NotPlain extends Exception {
        NotPlain() {
            super(null, null, false, false);
        }
    }

    /**
     * Applies a file while it is still being split: the fast path for a big seed file. Anything
     * but plain statements rolls the attempt back and takes the regular path, so the outcome is the
     * same as {@link #apply(MigrationScript, String)}, file errors included.
     */
    public Applied apply(MigrationFile file, String displayPath) throws SQLException {
        List<String> texts = new ArrayList<>();
        AtomicReference<LedgerStaging> staged = new AtomicReference<>();
        BiConsumer<List<SqlStatement>, Boolean> whenSplit = (all, directive) -> {
            if (!directive && all.stream().allMatch(s -> s.txMode() == SqlStatement.TxMode.NORMAL)) {
                staged.set(stage(file, all.stream().map(SqlStatement::text).toList()));
            }
        };
        try (ScriptStream stream = ScriptStream.open(file, whenSplit)) {
            StatementSource plain = () -> {
                SqlStatement s = stream.next();
                if (s != null && (s.txMode() != SqlStatement.TxMode.NORMAL || stream.noTransactionDirective())) {
                    throw new NotPlain();
                }
                if (s != null) {
                    texts.add(s.text());
                }
                return s;
            };
            try {
                return runInTransaction(file, displayPath, plain, () -> texts, staged::get);
            } catch (StatementFailure failure) {
                // Rolled back. Had the file not been plain, the regular path would have run it
                // differently (statement by statement): read on to find out before reporting.
                while (plain.next() != null) {
                    texts.clear();
                }
                throw report(file, displayPath, failure);
            }
        } catch (NotPlain e) {
            texts.clear();
            LedgerStaging.discard(staged.get());
            return apply(MigrationScript.load(file), displayPath);
        } finally {
            LedgerStaging.discard(staged.get());
        }
    }

    /** Applies the file; throws a report when anything fails. */
    public Applied apply(MigrationScript script, String displayPath) throws SQLException {
        if (script.runsWithoutTransaction()) {
            return applyWithoutTransaction(script, displayPath);
        }
        Iterator<SqlStatement> body = transactionalBody(script, displayPath).iterator();
        LedgerStaging staged = stage(script.file(), script.texts());
        try {
            return runInTransaction(script.file(), displayPath, () -> body.hasNext() ? body.next() : null, script::texts,
                    () -> staged);
        } catch (StatementFailure failure) {
            throw report(script.file(), displayPath, failure);
        } catch (NotPlain e) {
            throw new IllegalStateException("a loaded script is never streamed", e);
        } finally {
            LedgerStaging.discard(staged);
        }
    }

    /** Starts writing a big file's ledger row on the side connection; null for small files, or without one. */
    private LedgerStaging stage(MigrationFile file, List<String> texts) {
        if (aside == null || texts.stream().mapToLong(String::length).sum() <= INLINE_LEDGER_CHARS) {
            return null;
        }
        return LedgerStaging.start(aside, file.version(), texts);
    }

    private static PgshiftException report(MigrationFile file, String displayPath, StatementFailure failure) {
        return PgshiftException.migration(FailureReport.format(displayPath, failure)
                + "Rolled back: nothing from " + file.fileName() + " was applied and no history row "
                + "was written. Fix the file and run apply again.");
    }

    private Applied runInTransaction(MigrationFile file, String displayPath, StatementSource source,
                                     Supplier<List<String>> ledgerTexts, Supplier<LedgerStaging> staged)
            throws SQLException, NotPlain, StatementFailure {
        long start = System.nanoTime();
        // Callers applying many files leave the connection in manual-commit mode: switching back to
        // autocommit after every file costs pgjdbc a round trip, which adds up over 1,000 files.
        boolean wasAutoCommit = conn.getAutoCommit();
        if (wasAutoCommit) {
            conn.setAutoCommit(false);
        }
        // The runner is closed (its background sending ended) before a rollback uses the connection.
        try (StatementRunner runner = new StatementRunner(conn)) {
            for (SqlStatement statement = source.next(); statement != null; statement = source.next()) {
                runner.add(statement);
            }
            List<String> texts = ledgerTexts.get();
            long chars = texts.stream().mapToLong(String::length).sum();
            if (chars <= INLINE_LEDGER_CHARS) {
                // One round trip for the whole file: its statements, its ledger row and COMMIT.
                runner.flush(History.insertSql(file.version(), file.name(), texts, LedgerRow.EXECUTED) + ";\nCOMMIT");
                conn.commit(); // already committed by the server; this only syncs the driver's view
                return new Applied(texts.size(), (System.nanoTime() - start) / 1_000_000);
            }
            runner.flush();
            long ms = (System.nanoTime() - start) / 1_000_000;
            History.insertLarge(conn, file.version(), file.name(), texts, staged.get(), ms, LedgerRow.EXECUTED);
            conn.commit();
            return new Applied(texts.size(), ms);
        } catch (SQLException | RuntimeException | NotPlain | StatementFailure e) {
            rollbackQuietly();
            throw e;
        } finally {
            if (wasAutoCommit) {
                restoreAutoCommit(true);
            }
        }
    }

    private Applied applyWithoutTransaction(MigrationScript script, String displayPath) throws SQLException {
        List<SqlStatement> statements = script.statements();
        notices.accept(displayPath + " " + reasonWithoutTransaction(script) + ": running its " + statements.size()
                + " statement(s) one at a time, each committed on its own (no transaction).");
        long start = System.nanoTime();
        boolean wasAutoCommit = conn.getAutoCommit();
        conn.setAutoCommit(true);
        List<SqlStatement> done = new ArrayList<>();
        for (SqlStatement statement : statements) {
            try {
                StatementRunner.runAlone(conn, statement);
            } catch (StatementFailure failure) {
                restoreAutoCommit(wasAutoCommit);
                throw PgshiftException.migration(FailureReport.format(displayPath, failure)
                        + committedSummary(done, statements.size()) + " No history row was written. Make the "
                        + "remaining statements succeed (and the committed ones safe to re-run, e.g. IF NOT EXISTS), "
                        + "then run apply again; or finish by hand and run mark-applied " + script.file().version() + ".");
            }
            done.add(statement);
        }
        long ms = (System.nanoTime() - start) / 1_000_000;
        conn.setAutoCommit(false);
        try {
            History.insert(conn, script.file().version(), script.file().name(), script.texts(), ms, LedgerRow.EXECUTED);
            conn.commit();
        } catch (SQLException e) {
            rollbackQuietly();
            throw e;
        } finally {
            restoreAutoCommit(wasAutoCommit);
        }
        return new Applied(statements.size(), ms);
    }

    static String reasonWithoutTransaction(MigrationScript script) {
        return script.firstNonTransactional()
                .map(s -> "has a statement that cannot run inside a transaction (line " + s.codeStart().line() + ": "
                        + firstWords(s.text()) + ")")
                .orElse("starts with -- pgshift:no-transaction");
    }

    private static String committedSummary(List<SqlStatement> done, int total) {
        if (done.isEmpty()) {
            return "Nothing was committed: it was the first statement.";
        }
        StringBuilder lines = new StringBuilder();
        for (SqlStatement s : done) {
            lines.append(lines.length() == 0 ? "" : ", ").append(s.codeStart().line());
        }
        return "Already committed and NOT rolled back: " + done.size() + " of " + total
                + " statement(s), starting on line(s) " + lines + ".";
    }

    /**
     * The statements to run inside pgshift's transaction. A file wrapped in its own BEGIN ... COMMIT
     * (common in hand-written Supabase migrations) runs without the redundant pair; any other
     * transaction control would commit half a file, so it is refused before anything runs.
     */
    static List<SqlStatement> transactionalBody(MigrationScript script, String displayPath) {
        List<SqlStatement> statements = script.statements();
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
                + firstWords(offending.text()) + " would end or restart the transaction pgshift runs this file in, "
                + "so the file could be half-applied. Remove it (a single BEGIN ... COMMIT around the whole file is "
                + "fine), or put -- pgshift:no-transaction on the first line to run the file statement by statement.");
    }

    private static String keyword(SqlStatement statement) {
        String normalized = StatementNormalizer.normalize(statement.text()).toLowerCase(Locale.ROOT);
        int end = 0;
        while (end < normalized.length() && Character.isLetter(normalized.charAt(end))) {
            end++;
        }
        return normalized.substring(0, end);
    }

    /** The start of a statement for a one-line message: comments and extra whitespace removed. */
    public static String firstWords(String text) {
        String normalized = StatementNormalizer.normalize(text);
        return normalized.length() <= 60 ? normalized : normalized.substring(0, 57) + "...";
    }

    private void rollbackQuietly() {
        try {
            conn.rollback();
        } catch (SQLException ignored) {
            // The connection may be gone; the server rolls back an open transaction when it goes.
        }
    }

    private void restoreAutoCommit(boolean autoCommit) {
        try {
            conn.setAutoCommit(autoCommit);
        } catch (SQLException ignored) {
            // Same: a dead connection has no transaction left to end.
        }
    }
}
