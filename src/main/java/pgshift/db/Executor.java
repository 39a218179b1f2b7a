package pgshift.db;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.Supplier;

import org.postgresql.core.BaseConnection;
import org.postgresql.core.TransactionState;

import pgshift.failure.PgshiftException;
import pgshift.migration.LedgerRow;
import pgshift.migration.MigrationScript;
import pgshift.migration.ScriptStream;
import pgshift.migration.SqlStatement;
import pgshift.migration.StatementNormalizer;

/**
 * Runs one migration file and records it: normally in one transaction together with its ledger
 * row; statement by statement in autocommit when the file holds statements that cannot run in a
 * transaction. Whatever a file sets in its session (SET, SET ROLE, temporary tables, prepared
 * statements) is undone once it is recorded, so every file starts from the session the run
 * started with.
 */
public final class Executor {

    /**
     * DISCARD ALL without pg_advisory_unlock_all() (the migration lock is a session lock), which
     * DISCARD ALL cannot be run in a transaction block, and the driver's statement cache is told
     * by DEALLOCATE ALL's own command tag.
     */
    static final String RESET_SESSION = "CLOSE ALL; SET SESSION AUTHORIZATION DEFAULT; RESET ALL; DEALLOCATE ALL; "
            + "UNLISTEN *; DISCARD PLANS; DISCARD TEMP; DISCARD SEQUENCES";

    /**
     * Back to the run's own role before pgshift writes the ledger (a file may have said SET ROLE),
     * and no statement_timeout a file set for itself on pgshift's own insert.
     */
    private static final String OWN_ROLE = "SET SESSION AUTHORIZATION DEFAULT; SET LOCAL statement_timeout = 0";

    private final Connection conn;
    private final Consumer<String> notices;
    private final Guards guards;

    /**
     * What protects a run beyond its transactions.
     *
     * @param aside            opens a second connection, for watching a file's lock waits
     * @param tableLockTimeout how long a statement may wait for a lock another session holds
     * @param pooler           a transaction-mode pooler is in between: each file takes the
     *                         migration lock inside its own transaction (see {@link MigrationLock})
     * @param lockTimeout      how long that per-file lock is waited for
     */
    public record Guards(Supplier<Connection> aside, Duration tableLockTimeout, boolean pooler, Duration lockTimeout) {
    }

    /** @param notices hears what the user must know before something happens (e.g. no transaction) */
    public Executor(Connection conn, Consumer<String> notices, Guards guards) {
        this.conn = conn;
        this.notices = notices;
        this.guards = guards;
    }

    /**
     * What applying one file did.
     *
     * @param millis  how long its transaction took
     * @param skipped another run applied the file meanwhile (through a pooler): nothing was run
     * @param files   how many files shared that transaction (see {@link #applyTogether}); 1 when it ran alone
     */
    public record Applied(int statements, long millis, boolean skipped, int files) {
        Applied(int statements, long millis) {
            this(statements, millis, false, 1);
        }

        /** Ran in a transaction of its own, or with {@code files - 1} others, which took {@code millis} together. */
        public static Applied together(int statements, long millis, int files) {
            return new Applied(statements, millis, false, files);
        }

        /** What a report says of it, e.g. "3 statement(s), 12 ms". */
        public String summary() {
            return statements + " statement(s), " + (files > 1
                    ? "in one transaction with " + (files - 1) + " other file(s): " + millis + " ms for all"
                    : millis + " ms");
        }
    }

    /** Applies the file; throws a report when anything fails. */
    public Applied apply(ScriptStream stream, String displayPath) throws SQLException {
        if (stream.mayRunWithoutTransaction() && stream.whole().runsWithoutTransaction()) {
            return applyWithoutTransaction(stream.whole(), displayPath);
        }
        return applyInTransaction(stream, displayPath, false);
    }

    /**
     * Runs an applied file again after an edit (watch --on-edit reapply): its old ledger row is
     * replaced in the same transaction, so a failure keeps both the old row and the old schema.
     */
    public Applied reapply(ScriptStream stream, String displayPath) throws SQLException {
        if (stream.mayRunWithoutTransaction() && stream.whole().runsWithoutTransaction()) {
            throw PgshiftException.migration(displayPath + " runs without a transaction, so it cannot be re-run as a "
                    + "whole: nothing was run. Put the change in a new migration instead.");
        }
        return applyInTransaction(stream, displayPath, true);
    }

    /**
     * Applies several files in one transaction, each with its ledger row, the rows and COMMIT sent
     * with the last statements: for a replay into a scratch database (a shadow), where only the
     * end result counts. Only for files that run in a transaction, leave their session as they
     * found it and have a ledger row written inline. When anything fails, all of them are rolled
     * back and this throws without a report of its own: the caller runs them one by one through
     * {@link #apply}, which reports the failing file's line as apply would.
     *
     * @return how long they took together
     */
    public long applyTogether(List<MigrationScript> scripts) throws StatementFailure, SQLException {
        long start = System.nanoTime();
        boolean wasAutoCommit = conn.getAutoCommit();
        if (wasAutoCommit) {
            conn.setAutoCommit(false);
        }
        LockWaitWatch lockWatch = null;
        try (StatementRunner runner = new StatementRunner(conn)) {
            lockWatch = LockWaitWatch.start(guards.aside(), backendPid(), guards.tableLockTimeout(), notices);
            List<String> records = new ArrayList<>();
            for (MigrationScript script : scripts) {
                String record = History.recordSql(script.file().version(), script.file().name(), script.texts(),
                        LedgerRow.EXECUTED, History.ELAPSED_IN_TRANSACTION);
                if (record == null || script.mayChangeSession() || script.runsWithoutTransaction()) {
                    throw new IllegalArgumentException(script.file().displayName() + " cannot share a transaction");
                }
                records.add(record);
            }
            for (MigrationScript script : scripts) {
                // A failure here is not reported: the run one by one reports it, with the file's own name.
                sendStatements(ScriptStream.of(script), runner, script.file().displayName());
            }
            runner.flush(String.join(";\n", records) + ";\nCOMMIT");
            conn.commit(); // already committed by the server; this only syncs the driver's view
            return millisSince(start);
        } catch (StatementFailure | SQLException | RuntimeException e) {
            rollbackQuietly();
            throw e;
        } finally {
            if (lockWatch != null) {
                lockWatch.close();
            }
            if (wasAutoCommit) {
                restoreAutoCommit(true);
            }
        }
    }

    /**
     * Runs the file's statements in one transaction as the stream yields them, and records it in the
     * same transaction. What the split finds after the first statements ran (transaction control,
     * an unterminated quote) is thrown before the commit, so the file is rolled back.
     */
    private Applied applyInTransaction(ScriptStream stream, String displayPath, boolean replacing)
            throws SQLException {
        String version = stream.file().version();
        long start = System.nanoTime();
        // Callers applying many files leave the connection in manual-commit mode: switching back to
        // autocommit after every file costs pgjdbc a round trip, which adds up over 1,000 files.
        boolean wasAutoCommit = conn.getAutoCommit();
        if (wasAutoCommit) {
            conn.setAutoCommit(false);
        }
        String phase = "running";
        LockWaitWatch lockWatch = null;
        // A big file's ledger row is written ahead on a second connection while its statements run,
        // from when the split is complete (see LedgerStaging). Not through a pooler, where no session
        // lock keeps other runs out while the staged row waits, nor when replacing a row.
        AtomicReference<LedgerStaging> staged = new AtomicReference<>();
        // Whether the file may change its session: read on the splitter's thread too, where it no
        // longer follows the last statement (0.06-0.1 s for 47 MB with C1).
        AtomicBoolean resets = new AtomicBoolean();
        boolean stageable = !guards.pooler() && !replacing;
        // The runner is closed (its background sending ended) before a rollback uses the connection.
        try (StatementRunner runner = new StatementRunner(conn)) {
            stream.whenSplit(script -> {
                resets.set(script.mayChangeSession());
                if (stageable) {
                    staged.set(History.stage(guards.aside(), version, script.texts()));
                }
            });
            if (guards.pooler()) {
                MigrationLock.lockForFile(conn, guards.lockTimeout(), notices);
                if (!replacing && !MigrationLock.stillPending(conn, version)) {
                    conn.rollback();
                    return new Applied(0, 0, true, 1);
                }
            }
            if (replacing) {
                History.delete(conn, List.of(version));
            }
            lockWatch = LockWaitWatch.start(guards.aside(), backendPid(), guards.tableLockTimeout(), notices);
            MigrationScript script = sendStatements(stream, runner, displayPath);
            phase = "recording";
            List<String> texts = script.texts();
            String record = History.recordSql(version, script.file().name(), texts, LedgerRow.EXECUTED,
                    History.ELAPSED_IN_TRANSACTION);
            if (record != null) {
                // One round trip for the rest of the file, its ledger row, COMMIT and the session reset
                // (only after a file that may have changed its session: the reset costs about
                // 0.3 ms a file, a third of pgshift's own time per file in bench/run.sh apply 1000).
                runner.flush((resets.get() ? OWN_ROLE + ";\n" : "") + record + ";\nCOMMIT"
                        + (resets.get() ? ";\n" + RESET_SESSION : ""));
                conn.commit(); // already committed by the server; this only syncs the driver's view
                return new Applied(texts.size(), millisSince(start));
            }
            runner.flush();
            long ms = millisSince(start);
            execute(OWN_ROLE);
            History.record(conn, version, script.file().name(), texts, ms, LedgerRow.EXECUTED, staged.get());
            conn.commit();
            if (resets.get()) {
                execute(RESET_SESSION);
                conn.commit();
            }
            return new Applied(texts.size(), ms);
        } catch (StatementFailure failure) {
            rollbackQuietly();
            String explained = explain(lockWatch, failure.error(), version);
            if (RunFailures.isConnectionLost(failure.error())) {
                throw PgshiftException.config(FailureReport.format(displayPath, failure) + "The server ended the "
                        + "connection during this statement, which rolls back the open transaction: nothing from "
                        + stream.file().displayName() + " was applied and no history row was written. Check the server "
                        + "(a restart, or a session ended by pg_terminate_backend), then run apply again.", failure);
            }
            throw PgshiftException.migration(FailureReport.format(displayPath, failure)
                    + "Rolled back: nothing from " + stream.file().displayName() + " was applied and no history row "
                    + "was written." + (explained == null ? " Fix the file and run apply again." : explained));
        } catch (SQLException e) {
            rollbackQuietly();
            throw RunFailures.internal(displayPath, phase, e);
        } catch (RuntimeException e) {
            rollbackQuietly();
            throw e;
        } finally {
            stream.close(); // no staging starts after this
            if (staged.get() != null) {
                staged.get().close(); // after the commit or rollback, which ends the lock on its side row
            }
            if (lockWatch != null) {
                lockWatch.close();
            }
            if (wasAutoCommit) {
                restoreAutoCommit(true);
            }
        }
    }

    /**
     * Sends the file's statements as the stream yields them, without the BEGIN ... COMMIT around a
     * whole file; returns the whole script once all are sent. What the split finds after the first
     * statements were sent (transaction control, an unterminated quote) is thrown here, before the
     * file's transaction can commit.
     */
    private static MigrationScript sendStatements(ScriptStream stream, StatementRunner runner, String displayPath)
            throws StatementFailure, SQLException {
        int index = 0;
        for (SqlStatement statement = stream.next(); statement != null; statement = stream.next(), index++) {
            if (statement.txMode() == SqlStatement.TxMode.TRANSACTION_CONTROL) {
                if (index > 0) {
                    stream.whole().transactionalBody(displayPath); // refused unless it is the closing COMMIT
                }
                continue; // the BEGIN ... COMMIT around a whole file, checked below
            }
            if (statement.txMode() == SqlStatement.TxMode.NO_TRANSACTION) {
                throw missedNoTransaction(displayPath, statement);
            }
            runner.add(statement);
        }
        MigrationScript script = stream.whole();
        script.transactionalBody(displayPath);
        if (script.runsWithoutTransaction()) {
            throw missedNoTransaction(displayPath, null);
        }
        return script;
    }

    /** A statement that cannot run in a transaction, found where {@link ScriptStream} said there was none: a bug. */
    private static IllegalStateException missedNoTransaction(String displayPath, SqlStatement statement) {
        return new IllegalStateException(displayPath + " runs without a transaction"
                + (statement == null ? "" : " (line " + statement.codeStart().line() + ")")
                + ", which pgshift did not see before running it; it was rolled back. Please report this; meanwhile "
                + "put -- pgshift:no-transaction on the file's first line.");
    }

    /**
     * The backend running the file. Without a pooler it is the connection's own, known without a
     * round trip; through one, each transaction may run on another, so the server is asked.
     */
    private int backendPid() throws SQLException {
        if (!guards.pooler()) {
            return conn.unwrap(org.postgresql.PGConnection.class).getBackendPID();
        }
        try (Statement st = conn.createStatement(); java.sql.ResultSet rs = st.executeQuery("SELECT pg_backend_pid()")) {
            rs.next();
            return rs.getInt(1);
        }
    }

    /**
     * What to add to a failed file's report, read after its rollback: who held the lock it waited
     * for, and which setting (statement_timeout, lock_timeout) stopped it, with its value.
     */
    private String explain(LockWaitWatch lockWatch, SQLException error, String version) {
        StringBuilder more = new StringBuilder();
        String blocked = lockWatch == null ? null : lockWatch.explain(error);
        if (blocked != null) {
            more.append(' ').append(blocked);
        }
        String hint = RunFailures.isConnectionLost(error) ? null : FailureHints.hint(error, conn, version);
        if (hint != null) {
            more.append(' ').append(hint);
        }
        return more.length() == 0 ? null : more.toString();
    }

    private static long millisSince(long start) {
        return (System.nanoTime() - start) / 1_000_000;
    }

    private void execute(String sql) throws SQLException {
        try (Statement st = conn.createStatement()) {
            st.execute(sql);
        }
    }

    private Applied applyWithoutTransaction(MigrationScript script, String displayPath) throws SQLException {
        List<SqlStatement> statements = script.statements();
        notices.accept(displayPath + " " + script.reasonWithoutTransaction() + ": running its " + statements.size()
                + " statement(s) one at a time, each committed on its own (no transaction).");
        long start = System.nanoTime();
        boolean wasAutoCommit = conn.getAutoCommit();
        conn.setAutoCommit(true);
        // What the server has committed, and what waits in a transaction the file opened itself (BEGIN).
        List<SqlStatement> committed = new ArrayList<>();
        List<SqlStatement> open = new ArrayList<>();
        try {
            for (SqlStatement statement : statements) {
                try (LockWaitWatch lockWatch = LockWaitWatch.start(guards.aside(), backendPid(),
                        guards.tableLockTimeout(), notices)) {
                    try {
                        StatementRunner.runAlone(conn, statement);
                    } catch (StatementFailure failure) {
                        boolean inOwnTransaction = transactionState() != TransactionState.IDLE;
                        if (inOwnTransaction) {
                            execute("ROLLBACK"); // the file's own transaction is aborted: end it
                        }
                        String explained = explain(lockWatch, failure.error(), script.file().version());
                        throw PgshiftException.migration(FailureReport.format(displayPath, failure)
                                + (explained == null ? "" : explained.substring(1) + "\n")
                                + committedSummary(committed, open, inOwnTransaction, statements.size())
                            + " No history row was written. Make the remaining statements succeed (and the committed "
                            + "ones safe to re-run, e.g. IF NOT EXISTS), then run apply again; or finish by hand and "
                            + "run mark-applied " + script.file().version() + ".");
                    }
                }
                open.add(statement);
                if (transactionState() == TransactionState.IDLE) {
                    committed.addAll(open);
                    open.clear();
                }
            }
            long ms = millisSince(start);
            conn.setAutoCommit(false);
            try {
                execute(OWN_ROLE);
                History.record(conn, script.file().version(), script.file().name(), script.texts(), ms,
                        LedgerRow.EXECUTED);
                conn.commit();
            } catch (SQLException e) {
                rollbackQuietly();
                throw RunFailures.internal(displayPath, "recording", e);
            }
            return new Applied(statements.size(), ms);
        } finally {
            restoreAutoCommit(true);
            if (script.mayChangeSession()) {
                resetSessionQuietly();
            }
            restoreAutoCommit(wasAutoCommit);
        }
    }

    private TransactionState transactionState() throws SQLException {
        return conn.unwrap(BaseConnection.class).getTransactionState();
    }

    private static String committedSummary(List<SqlStatement> committed, List<SqlStatement> open,
                                           boolean inOwnTransaction, int total) {
        String rolledBack = inOwnTransaction && !open.isEmpty()
                ? " The file's own transaction (from line " + open.get(0).codeStart().line() + ", "
                + open.size() + " statement(s)) was rolled back." : "";
        if (committed.isEmpty()) {
            return "Nothing was committed." + rolledBack;
        }
        StringBuilder lines = new StringBuilder();
        for (SqlStatement s : committed) {
            lines.append(lines.length() == 0 ? "" : ", ").append(s.codeStart().line());
        }
        return "Already committed and NOT rolled back: " + committed.size() + " of " + total
                + " statement(s), starting on line(s) " + lines + "." + rolledBack;
    }


    private void rollbackQuietly() {
        try {
            conn.rollback();
        } catch (SQLException ignored) {
            // The connection may be gone; the server rolls back an open transaction when it goes.
        }
    }

    private void resetSessionQuietly() {
        try {
            if (!conn.isClosed()) {
                execute(RESET_SESSION);
            }
        } catch (SQLException ignored) {
            // A broken connection has no session left to leak; the next use fails on its own.
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
