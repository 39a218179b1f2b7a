package pgshift.db;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.function.Consumer;

import pgshift.PgshiftException;

/**
 * The session advisory lock that makes migration runs one at a time per database; a second
 * runner waits up to a timeout, then fails naming the session that holds the lock.
 */
public final class MigrationLock implements AutoCloseable {

    /** "pgshif" in ASCII with a version byte: distinct from keys applications pick by hand. */
    static final long KEY = 0x7067736869660001L;

    private final Connection conn;

    private MigrationLock(Connection conn) {
        this.conn = conn;
    }

    /**
     * Takes the lock on this connection, polling until {@code timeout}; {@code waiting} hears once
     * who holds it, so the user knows why nothing happens.
     */
    public static MigrationLock acquire(Connection conn, Duration timeout, Consumer<String> waiting)
            throws SQLException {
        long deadline = System.nanoTime() + timeout.toNanos();
        long pause = 25;
        boolean announced = false;
        while (!tryLock(conn)) {
            if (!announced) {
                waiting.accept("Waiting up to " + timeout.toSeconds() + " s for the migration lock, held by "
                        + describeHolder(conn) + ".");
                announced = true;
            }
            if (System.nanoTime() >= deadline) {
                throw PgshiftException.config("Timed out after " + timeout.toMillis() + " ms waiting for the "
                        + "migration lock, held by " + describeHolder(conn) + ". Another pgshift run is migrating "
                        + "this database; wait for it to finish, or raise --lock-timeout. If that session is stuck, "
                        + "end it with SELECT pg_terminate_backend(<pid>).");
            }
            try {
                Thread.sleep(pause);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw PgshiftException.config("Interrupted while waiting for the migration lock.");
            }
            pause = Math.min(pause * 2, 250);
        }
        return new MigrationLock(conn);
    }

    private static boolean tryLock(Connection conn) throws SQLException {
        try (PreparedStatement ps = conn.prepareStatement("SELECT pg_try_advisory_lock(?)")) {
            ps.setLong(1, KEY);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getBoolean(1);
            }
        }
    }

    /** "pid 4242 (application pgshift, client 10.0.0.7, running since ...)" or "an unknown session". */
    static String describeHolder(Connection conn) throws SQLException {
        String sql = "SELECT a.pid, a.application_name, a.client_addr::text, a.usename, a.backend_start "
                + "FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid "
                + "WHERE l.locktype = 'advisory' AND l.granted AND l.database = "
                + "(SELECT oid FROM pg_database WHERE datname = current_database()) "
                + "AND l.classid = ? AND l.objid = ? AND l.objsubid = 1";
        try (PreparedStatement ps = conn.prepareStatement(sql)) {
            ps.setLong(1, KEY >>> 32);
            ps.setLong(2, KEY & 0xFFFFFFFFL);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return "a session this user cannot see";
                }
                String app = rs.getString(2);
                String addr = rs.getString(3);
                return "pid " + rs.getInt(1) + " (application " + (app == null || app.isEmpty() ? "unnamed" : app)
                        + ", client " + (addr == null ? "local socket" : addr)
                        + ", user " + rs.getString(4) + ", connected since " + rs.getObject(5, java.time.OffsetDateTime.class) + ")";
            }
        }
    }

    @Override
    public void close() throws SQLException {
        if (conn.isClosed()) {
            return;
        }
        if (!conn.getAutoCommit()) {
            conn.rollback();
        }
        try (PreparedStatement ps = conn.prepareStatement("SELECT pg_advisory_unlock(?)")) {
            ps.setLong(1, KEY);
            ps.execute();
        }
    }
}
