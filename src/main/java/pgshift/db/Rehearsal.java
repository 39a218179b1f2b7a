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
                          String failure) {
        public boolean failed() {
            return failure != null;
        }
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
            run.addAll(Executor.transactionalBody(script, displayPath));
        }
        long start = System.nanoTime();
        try (StatementRunner runner = new StatementRunner(conn)) {
            for (SqlStatement s : run) {
                runner.add(s);
            }
            runner.flush();
        } catch (StatementFailure failure) {
            long ms = (System.nanoTime() - start) / 1_000_000;
            return new Outcome(script, run.indexOf(failure.statement()), skipped, ms,
                    FailureReport.format(displayPath, failure));
        }
        long ms = (System.nanoTime() - start) / 1_000_000;
        History.insert(conn, script.file().version(), script.file().name(), script.texts(), ms, LedgerRow.EXECUTED);
        return new Outcome(script, run.size(), skipped, ms, null);
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
