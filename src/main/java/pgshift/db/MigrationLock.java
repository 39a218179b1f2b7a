package pgshift.db;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.function.Consumer;

import pgshift.failure.PgshiftException;
import pgshift.config.DatabaseUrl;

/**
 * The advisory lock that keeps concurrent pgshift runs from applying a migration twice; a second
 * runner waits up to a timeout, then fails naming the session that holds the lock.
 *
 * <p>Two modes. On a direct connection or a session pooler, {@link #acquire} takes a session lock
 * for the whole run: runs are one at a time. Through a transaction-mode pooler (PgBouncer with
 * {@code pool_mode = transaction}, Supavisor on port 6543) a session lock lands on whichever server
 * session served that one statement: other clients sharing that session "hold" it too, and an
 * unlock may run on another session and leave the lock behind. There the runner locks per file
 * instead: inside each file's transaction, {@link #lockForFile} and then {@link #stillPending};
 * the lock ends with that transaction, so concurrent runs interleave file by file, and each file
 * is applied once, by whichever run locked it first (the other sees its ledger row and skips it).
 * Files that run without a transaction cannot be protected that way:
 * {@link #noTransactionThroughPooler} is the refusal.
 */
public final class MigrationLock implements AutoCloseable {

    /** "pgshif" in ASCII with a version byte: distinct from keys applications pick by hand. */
    static final long KEY = 0x7067736869660001L;

    private static final int TRANSACTION_POOLER_PORT = 6543;

    private final Connection conn;

    private MigrationLock(Connection conn) {
        this.conn = conn;
    }

    /**
     * Takes the session lock on this connection, polling until {@code timeout}; {@code waiting}
     * hears once who holds it, so the user knows why nothing happens.
     */
    public static MigrationLock acquire(Connection conn, Duration timeout, Consumer<String> waiting)
            throws SQLException {
        waitFor(conn, "SELECT pg_try_advisory_lock(?)", timeout, waiting);
        return new MigrationLock(conn);
    }

    /**
     * Whether this URL goes through a transaction-mode pooler, where {@link #acquire} protects
     * nothing: port 6543 (Supavisor's and the usual PgBouncer transaction port; Supabase's
     * {@code *.pooler.supabase.com} serves session mode on 5432) or {@code pgbouncer=true}, Prisma's
     * way of saying so.
     */
    public static boolean transactionPooler(DatabaseUrl url) {
        return url.port() == TRANSACTION_POOLER_PORT
                || "true".equalsIgnoreCase(url.properties().getOrDefault("pgbouncer", "").strip());
    }

    /**
     * Takes the lock until the end of the connection's current transaction, polling until
     * {@code timeout} like {@link #acquire}. Call it first in a file's transaction, then
     * {@link #stillPending}; commit or roll back releases it.
     *
     * @throws IllegalStateException in autocommit, where the lock would end with the statement
     */
    public static void lockForFile(Connection conn, Duration timeout, Consumer<String> waiting) throws SQLException {
        if (conn.getAutoCommit()) {
            throw new IllegalStateException("lockForFile needs an open transaction (autocommit is on)");
        }
        waitFor(conn, "SELECT pg_try_advisory_xact_lock(?)", timeout, waiting);
    }

    /**
     * Whether {@code version} is still missing from the ledger, read in the caller's transaction
     * after {@link #lockForFile}: false means a concurrent run applied it since this run planned,
     * so the runner rolls back and skips the file. Under READ COMMITTED (PostgreSQL's default) the
     * read sees everything committed before the lock was granted; REPEATABLE READ would not.
     */
    public static boolean stillPending(Connection conn, String version) throws SQLException {
        try (PreparedStatement ps = conn.prepareStatement("SELECT to_regclass(?) IS NOT NULL")) {
            ps.setString(1, History.LEDGER);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                if (!rs.getBoolean(1)) {
                    return true;
                }
            }
        }
        try (PreparedStatement ps = conn.prepareStatement("SELECT NOT EXISTS (SELECT 1 FROM " + History.LEDGER
                + " WHERE version = ?)")) {
            ps.setString(1, version);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getBoolean(1);
            }
        }
    }

    /** Why the runner refuses a no-transaction file through a transaction-mode pooler, and what to do. */
    public static String noTransactionThroughPooler(String file) {
        return file + " runs without a transaction, which a transaction-mode pooler (port 6543) cannot lock "
                + "safely: use the session pooler (port 5432) or a direct connection for this migration.";
    }

    private static void waitFor(Connection conn, String trySql, Duration timeout, Consumer<String> waiting)
            throws SQLException {
        long deadline = System.nanoTime() + timeout.toNanos();
        long pause = 25;
        boolean announced = false;
        while (!tryLock(conn, trySql)) {
            if (!announced) {
                waiting.accept("Waiting up to " + timeout.toSeconds() + " s for the migration lock, held by "
                        + holder(conn).description() + ".");
                announced = true;
            }
            if (System.nanoTime() >= deadline) {
                throw timedOut(timeout, holder(conn));
            }
            try {
                Thread.sleep(pause);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw PgshiftException.config("Interrupted while waiting for the migration lock.");
            }
            pause = Math.min(pause * 2, 250);
        }
    }

    static PgshiftException timedOut(Duration timeout, Holder holder) {
        String end = holder.pid() > 0
                ? "end it with SELECT pg_terminate_backend(" + holder.pid() + ")."
                : "find it in pg_stat_activity as a user who can see it, and end it with pg_terminate_backend.";
        return PgshiftException.config("Timed out after " + timeout.toMillis() + " ms waiting for the "
                + "migration lock, held by " + holder.description() + ". Another pgshift run is migrating "
                + "this database; wait for it to finish, or raise --lock-timeout. If that session is stuck, " + end);
    }

    private static boolean tryLock(Connection conn, String trySql) throws SQLException {
        try (PreparedStatement ps = conn.prepareStatement(trySql)) {
            ps.setLong(1, KEY);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getBoolean(1);
            }
        }
    }

    /** The session holding the lock: its pid (0 when it cannot be seen) and how to name it in a message. */
    record Holder(int pid, String description) {
    }

    /** Who holds the lock: "pid 4242 (application pgshift, client 10.0.0.7, ...)" or a session nobody can see. */
    static Holder holder(Connection conn) throws SQLException {
        String sql = "SELECT a.pid, a.application_name, host(a.client_addr), a.usename, a.backend_start "
                + "FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid "
                + "WHERE l.locktype = 'advisory' AND l.granted AND l.database = "
                + "(SELECT oid FROM pg_database WHERE datname = current_database()) "
                + "AND l.classid = ? AND l.objid = ? AND l.objsubid = 1";
        try (PreparedStatement ps = conn.prepareStatement(sql)) {
            ps.setLong(1, KEY >>> 32);
            ps.setLong(2, KEY & 0xFFFFFFFFL);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return new Holder(0, "a session this user cannot see");
                }
                int pid = rs.getInt(1);
                String app = rs.getString(2);
                String addr = rs.getString(3);
                return new Holder(pid, "pid " + pid + " (application " + (app == null || app.isEmpty() ? "unnamed" : app)
                        + ", client " + (addr == null ? "local socket" : addr)
                        + ", user " + rs.getString(4) + ", connected since " + rs.getObject(5, java.time.OffsetDateTime.class) + ")");
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
