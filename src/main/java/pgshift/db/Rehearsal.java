package pgshift.db;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

import pgshift.migration.LedgerRow;

import pgshift.migration.MigrationScript;
import pgshift.migration.SqlStatement;

/**
 * Dry-run: executes files exactly as apply would, ledger rows included, inside one transaction
 * that is always rolled back. Statements that cannot run in a transaction are not rehearsed.
 */
public final class Rehearsal implements AutoCloseable {

    /** What happened to one file in the rehearsal. */
    public record Outcome(MigrationScript script, int executed, List<SqlStatement> notRehearsed, long millis,
                          String failure, String whyNotRehearsable) {
        public boolean failed() {
            return failure != null;
        }
    }

    /**
     * Errors that only come from rehearsing everything in one transaction, not from the files:
     * apply commits each file, so it may well succeed.
     */
    static String whyNotRehearsable(String sqlState) {
        return switch (sqlState == null ? "" : sqlState) {
            case "55P04" -> "a new enum value cannot be used in the transaction that added it; dry-run runs every "
                    + "file in one transaction, while apply commits each file before the next one";
            case "25001" -> "the statement cannot run inside a transaction block, and dry-run runs everything in one";
            case "2D000" -> "the statement ends a transaction, which dry-run's one transaction cannot allow";
            default -> null;
        };
    }

    private final Connection conn;

    public Rehearsal(Connection conn) throws SQLException {
        this.conn = conn;
        conn.setAutoCommit(false);
    }

    /** Rehearses one file; after a failure the transaction is aborted and nothing more can run. */
    public Outcome rehearse(MigrationScript script, String displayPath) throws SQLException {
        List<SqlStatement> run = new ArrayList<>();
        List<SqlStatement> skipped = new ArrayList<>();
        if (script.runsWithoutTransaction()) {
            for (SqlStatement s : script.statements()) {
                boolean outsideTransaction = s.txMode() != SqlStatement.TxMode.NORMAL;
                (outsideTransaction ? skipped : run).add(s);
            }
        } else {
            run.addAll(script.transactionalBody(displayPath));
        }
        resetSession(); // every file starts from the run's session, as when applied
        long start = System.nanoTime();
        try (StatementRunner runner = new StatementRunner(conn)) {
            for (SqlStatement s : run) {
                runner.add(s);
            }
            runner.flush();
        } catch (StatementFailure failure) {
            long ms = (System.nanoTime() - start) / 1_000_000;
            return new Outcome(script, run.indexOf(failure.statement()), skipped, ms,
                    FailureReport.format(displayPath, failure), whyNotRehearsable(failure.error().getSQLState()));
        }
        long ms = (System.nanoTime() - start) / 1_000_000;
        resetSession();
        History.record(conn, script.file().version(), script.file().name(), script.texts(), ms, LedgerRow.EXECUTED);
        return new Outcome(script, run.size(), skipped, ms, null, null);
    }

    private void resetSession() throws SQLException {
        try (java.sql.Statement st = conn.createStatement()) {
            st.execute("SET SESSION AUTHORIZATION DEFAULT; RESET ALL");
        }
    }

    /** Rolls everything back: the database is left as it was, sequences aside. */
    @Override
    public void close() throws SQLException {
        try {
            conn.rollback();
        } finally {
            conn.setAutoCommit(true);
        }
    }
}
