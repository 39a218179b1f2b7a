package pgshift.db;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Supplier;

import org.postgresql.core.BaseConnection;
import org.postgresql.core.TransactionState;

import pgshift.failure.PgshiftException;
import pgshift.migration.LedgerRow;
import pgshift.migration.MigrationScript;
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
     * @param skipped another run applied the file meanwhile (through a pooler): nothing was run
     */
    public record Applied(int statements, long millis, boolean skipped) {
        Applied(int statements, long millis) {
            this(statements, millis, false);
        }
    }

    /** Applies the file; throws a report when anything fails. */
    public Applied apply(MigrationScript script, String displayPath) throws SQLException {
        if (script.runsWithoutTransaction()) {
            return applyWithoutTransaction(script, displayPath);
        }
        return applyInTransaction(script, displayPath, false);
    }

    /**
     * Runs an applied file again after an edit (watch --on-edit reapply): its old ledger row is
     * replaced in the same transaction, so a failure keeps both the old row and the old schema.
     */
    public Applied reapply(MigrationScript script, String displayPath) throws SQLException {
        if (script.runsWithoutTransaction()) {
            throw PgshiftException.migration(displayPath + " runs without a transaction, so it cannot be re-run as a "
                    + "whole: nothing was run. Put the change in a new migration instead.");
        }
        return applyInTransaction(script, displayPath, true);
    }

    private Applied applyInTransaction(MigrationScript script, String displayPath, boolean replacing)
            throws SQLException {
        List<SqlStatement> body = script.transactionalBody(displayPath);
        boolean resets = script.mayChangeSession();
        List<String> texts = script.texts();
        String version = script.file().version();
        long start = System.nanoTime();
        // Callers applying many files leave the connection in manual-commit mode: switching back to
        // autocommit after every file costs pgjdbc a round trip, which adds up over 1,000 files.
        boolean wasAutoCommit = conn.getAutoCommit();
        if (wasAutoCommit) {
            conn.setAutoCommit(false);
        }
        String phase = "running";
        LockWaitWatch lockWatch = null;
        // The runner is closed (its background sending ended) before a rollback uses the connection.
        try (StatementRunner runner = new StatementRunner(conn)) {
            if (guards.pooler()) {
                MigrationLock.lockForFile(conn, guards.lockTimeout(), notices);
                if (!replacing && !MigrationLock.stillPending(conn, version)) {
                    conn.rollback();
                    return new Applied(0, 0, true);
                }
            }
            if (replacing) {
                History.delete(conn, List.of(version));
            }
            lockWatch = LockWaitWatch.start(guards.aside(), backendPid(), guards.tableLockTimeout(), notices);
            for (SqlStatement statement : body) {
                runner.add(statement);
            }
            phase = "recording";
            String record = History.recordSql(version, script.file().name(), texts, LedgerRow.EXECUTED,
                    History.ELAPSED_IN_TRANSACTION);
            if (record != null) {
                // One round trip for the rest of the file, its ledger row, COMMIT and the session reset
                // (only after a file that may have changed its session: the reset costs about
                // 0.3 ms a file, a third of pgshift's own time per file in bench/run.sh apply 1000).
                runner.flush((resets ? OWN_ROLE + ";\n" : "") + record + ";\nCOMMIT" + (resets ? ";\n" + RESET_SESSION : ""));
                conn.commit(); // already committed by the server; this only syncs the driver's view
                return new Applied(texts.size(), millisSince(start));
            }
            runner.flush();
            long ms = millisSince(start);
            execute(OWN_ROLE);
            History.record(conn, version, script.file().name(), texts, ms, LedgerRow.EXECUTED);
            conn.commit();
            if (resets) {
                execute(RESET_SESSION);
                conn.commit();
            }
            return new Applied(texts.size(), ms);
        } catch (StatementFailure failure) {
            rollbackQuietly();
            String explained = explain(lockWatch, failure.error(), script.file().version());
            if (RunFailures.isConnectionLost(failure.error())) {
                throw PgshiftException.config(FailureReport.format(displayPath, failure) + "The server ended the "
                        + "connection during this statement, which rolls back the open transaction: nothing from "
                        + script.file().displayName() + " was applied and no history row was written. Check the server "
                        + "(a restart, or a session ended by pg_terminate_backend), then run apply again.", failure);
            }
            throw PgshiftException.migration(FailureReport.format(displayPath, failure)
                    + "Rolled back: nothing from " + script.file().displayName() + " was applied and no history row "
                    + "was written." + (explained == null ? " Fix the file and run apply again." : explained));
        } catch (SQLException e) {
            rollbackQuietly();
            throw RunFailures.internal(displayPath, phase, e);
        } catch (RuntimeException e) {
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
