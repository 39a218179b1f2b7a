package pgshift.db;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.function.Supplier;

/**
 * A big file's ledger row written ahead, on a second connection, into an unlogged staging table:
 * the server compresses the 50 MB statements array there, on another core, while the file runs
 * on the first connection. The file's transaction then copies the stored value into the ledger:
 * INSERT ... SELECT keeps it compressed, a tenth of the work of writing it again. If anything goes
 * wrong here, the row is simply written the direct way ({@link LedgerCopy}).
 */
final class LedgerStaging {

    static final String TABLE = History.SCHEMA + ".pgshift_staged_ledger";

    private final String version;
    private final FutureTask<Connection> staging;
    private boolean done;

    private LedgerStaging(String version, FutureTask<Connection> staging) {
        this.version = version;
        this.staging = staging;
    }

    /** Starts writing the row on a connection from {@code connect}; the caller holds the migration lock. */
    static LedgerStaging start(Supplier<Connection> connect, String version, List<String> statements) {
        FutureTask<Connection> task = new FutureTask<>(() -> stage(connect, version, statements));
        Thread thread = new Thread(task, "pgshift-stage-" + version);
        thread.setDaemon(true);
        thread.start();
        return new LedgerStaging(version, task);
    }

    private static Connection stage(Supplier<Connection> connect, String version, List<String> statements)
            throws SQLException {
        Connection conn = connect.get();
        try {
            conn.setAutoCommit(true);
            try (Statement st = conn.createStatement()) {
                st.execute("CREATE UNLOGGED TABLE IF NOT EXISTS " + TABLE + " (version text PRIMARY KEY, statements text[])");
                // Rows left by a run that died: nobody else uses the table while we hold the migration lock.
                st.execute("DELETE FROM " + TABLE);
            }
            LedgerCopy.copy(conn, TABLE + " (version, statements)", List.of(version), statements);
            return conn;
        } catch (SQLException | RuntimeException e) {
            conn.close();
            throw e;
        }
    }

    /**
     * Inserts the ledger row from the staged one, in {@code conn}'s transaction, and removes the
     * staged row in the same transaction. False when there is nothing staged to take (staging
     * failed, or the transaction's snapshot predates it): write the row another way then.
     */
    boolean moveInto(Connection conn, String name) throws SQLException {
        Connection stagingConn = await();
        if (stagingConn == null) {
            done = true;
            return false;
        }
        int inserted;
        try (PreparedStatement ps = conn.prepareStatement("INSERT INTO " + History.LEDGER
                + " (version, name, statements) SELECT version, ?, statements FROM " + TABLE + " WHERE version = ?")) {
            ps.setString(1, name);
            ps.setString(2, version);
            inserted = ps.executeUpdate();
        }
        if (inserted != 1) {
            discard();
            return false;
        }
        try (PreparedStatement ps = conn.prepareStatement("DELETE FROM " + TABLE + " WHERE version = ?")) {
            ps.setString(1, version);
            ps.executeUpdate();
        }
        done = true;
        stagingConn.close();
        return true;
    }

    /** {@link #discard()} for a staging that may not exist. */
    static void discard(LedgerStaging staged) {
        if (staged != null) {
            staged.discard();
        }
    }

    /** Removes the staged row when the file did not go through; does nothing once the row was moved. */
    void discard() {
        if (done) {
            return;
        }
        done = true;
        Connection stagingConn = await();
        if (stagingConn == null) {
            return;
        }
        try (stagingConn; PreparedStatement ps = stagingConn.prepareStatement("DELETE FROM " + TABLE + " WHERE version = ?")) {
            ps.setString(1, version);
            ps.executeUpdate();
        } catch (SQLException e) {
            // A row left behind is removed by the next big file's staging.
        }
    }

    /** The staging connection, or null when staging failed. */
    private Connection await() {
        try {
            return staging.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        } catch (ExecutionException e) {
            return null;
        }
    }
}
