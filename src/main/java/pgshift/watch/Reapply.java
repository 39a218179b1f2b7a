package pgshift.watch;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.function.Consumer;

import pgshift.PgshiftException;
import pgshift.db.Executor;
import pgshift.db.History;
import pgshift.migration.MigrationFile;
import pgshift.migration.MigrationScript;

/** Re-runs an applied file that was edited, in one transaction with its new ledger rows (watch --on-edit reapply). */
final class Reapply {

    private Reapply() {
    }

    static Executor.Applied run(Connection conn, MigrationFile file, String displayPath, Consumer<String> notices)
            throws SQLException {
        MigrationScript script = MigrationScript.load(file);
        if (script.runsWithoutTransaction()) {
            throw PgshiftException.migration(displayPath + " runs without a transaction, so it cannot be re-run as a "
                    + "whole: nothing was run. Put the change in a new migration instead.");
        }
        boolean autoCommit = conn.getAutoCommit();
        conn.setAutoCommit(false);
        try {
            // The old rows are deleted in the transaction that writes the new ones: if the file
            // fails, both the old rows and the old schema stay.
            History.delete(conn, List.of(file.version()));
            return new Executor(conn, notices).apply(script, displayPath);
        } catch (SQLException | RuntimeException e) {
            conn.rollback();
            throw e;
        } finally {
            conn.setAutoCommit(autoCommit);
        }
    }
}
