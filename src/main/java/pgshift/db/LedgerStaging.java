package pgshift.db;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.function.Supplier;

/**
 * A big file's ledger row written ahead while the file runs: on a second connection, by
 * {@link LedgerCopy}, into the {@code staged} column of the file's side row. The server compresses
 * the statements array there (pglz; 1.0-1.1 s for the 47 MB file of bench/run.sh big, which took
 * that long after the file's last statement when the row was written in its transaction) while
 * the file's statements run on the first connection. The file's transaction then moves the stored
 * value into the ledger, where INSERT ... SELECT keeps it compressed (about 0.1 s), and empties
 * {@code staged}: a committed file leaves nothing staged.
 *
 * <p>Every other ending removes the staged value: {@link #close} deletes it after a failed or
 * cancelled file (stopping a staging still under way), and a run that was killed leaves a side row
 * without a ledger row, which {@link History#read} ignores and the next run's
 * {@link History#ensureTables} deletes. If staging fails, the ledger row is written directly.
 */
final class LedgerStaging implements AutoCloseable {

    private final String version;
    private final FutureTask<Connection> task;
    /** The staging connection once open, so {@link #close} can stop a staging that is no longer wanted. */
    private volatile Connection staging;
    /**
     * Guarded by {@code this}: the staging commits only while {@code abandoned} is false, and
     * {@link #close} sets it, so after close either the staged row was committed (and is
     * deleted there) or it never will be.
     */
    private boolean abandoned;
    private boolean committed;

    private LedgerStaging(String version, Supplier<Connection> aside, List<String> statements) {
        this.version = version;
        this.task = new FutureTask<>(() -> stage(aside, statements));
    }

    /** Starts staging on a connection from {@code aside}; the caller holds the run's migration lock. */
    static LedgerStaging start(Supplier<Connection> aside, String version, List<String> statements) {
        LedgerStaging staged = new LedgerStaging(version, aside, statements);
        Thread thread = new Thread(staged.task, "pgshift-stage");
        thread.setDaemon(true);
        thread.start();
        return staged;
    }

    private Connection stage(Supplier<Connection> aside, List<String> statements) throws SQLException {
        Connection conn = aside.get();
        staging = conn;
        try {
            synchronized (this) {
                if (abandoned) {
                    throw new SQLException("the file ended before its ledger row was staged");
                }
            }
            conn.setAutoCommit(false);
            // A side row of this pending version without a ledger row (the Supabase CLI's repair
            // deletes ledger rows only) means nothing; nobody else writes it while the run holds the lock.
            try (PreparedStatement ps = conn.prepareStatement("DELETE FROM " + History.SIDE + " s WHERE s.version = ? "
                    + "AND NOT EXISTS (SELECT 1 FROM " + History.LEDGER + " m WHERE m.version = s.version)")) {
                ps.setString(1, version);
                ps.executeUpdate();
            }
            LedgerCopy.copy(conn, History.SIDE + " (version, origin, staged)", List.of(version, "executed"), statements);
            synchronized (this) {
                if (abandoned) {
                    throw new SQLException("the file ended before its ledger row was staged");
                }
                conn.commit();
                committed = true;
            }
            return conn;
        } catch (SQLException | RuntimeException e) {
            conn.close();
            throw e;
        }
    }

    /**
     * Inserts the ledger row from the staged value and makes the staged row the file's side row, in
     * {@code conn}'s transaction. False when nothing was staged: the caller writes the row directly.
     */
    boolean moveInto(Connection conn, String name, Long executionMs, String origin) throws SQLException {
        if (await() == null) {
            return false;
        }
        // One statement, one round trip: the ledger row from the staged value, then the side row's facts.
        try (PreparedStatement ps = conn.prepareStatement("WITH ledger AS (INSERT INTO " + History.LEDGER
                + " (version, name, statements) SELECT version, ?, staged FROM " + History.SIDE
                + " WHERE version = ? AND staged IS NOT NULL RETURNING version) UPDATE " + History.SIDE + " s SET "
                + "staged = NULL, applied_at = now(), applied_by = current_user, execution_ms = ?, origin = ? "
                + "FROM ledger WHERE s.version = ledger.version")) {
            ps.setString(1, name);
            ps.setString(2, version);
            ps.setObject(3, executionMs, java.sql.Types.BIGINT);
            ps.setString(4, origin);
            return ps.executeUpdate() == 1;
        }
    }

    /**
     * Call once the file's transaction has ended (its row locks are gone then): deletes the staged
     * row unless that transaction moved it and committed, and closes the staging connection. A
     * staging still under way is stopped (its connection closed), and its transaction rolls back.
     */
    @Override
    public void close() {
        boolean stop;
        synchronized (this) {
            abandoned = true;
            stop = !committed;
        }
        if (stop) {
            Connection conn = staging;
            if (conn != null) {
                try {
                    conn.abort(Runnable::run);
                } catch (SQLException e) {
                    // Then the staging ends on its own; its row is deleted below or by the next run.
                }
            }
        }
        Connection conn = await();
        if (conn == null) {
            return;
        }
        try (conn; PreparedStatement ps = conn.prepareStatement(
                "DELETE FROM " + History.SIDE + " WHERE version = ? AND staged IS NOT NULL")) {
            ps.setString(1, version);
            ps.executeUpdate();
            conn.commit();
        } catch (SQLException e) {
            // Left behind: ignored by History.read and deleted by the next run's History.ensureTables.
        }
    }

    /** The staging connection once the row is staged, or null when staging failed or was stopped. */
    private Connection await() {
        try {
            return task.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        } catch (ExecutionException e) {
            return null;
        }
    }
}
