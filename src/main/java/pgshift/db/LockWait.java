package pgshift.db;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * What one backend is waiting for, read from pg_locks and pg_stat_activity: the lock, how long it
 * has waited, and the session that blocks it.
 *
 * @param object  what it waits for, for a message: "a lock on table t", "older transactions to end"
 * @param cancellable false for a wait for older transactions to end: only CONCURRENTLY operations
 *                wait so, and cancelling one leaves an invalid index behind
 * @param seconds how long the backend has waited, or -1 when the server does not say (before 14)
 * @param blocker the first blocking session, or null when none can be seen
 * @param others  how many further sessions block it
 */
record LockWait(String object, boolean cancellable, double seconds, Blocker blocker, int others) {

    /** A blocking session as pg_stat_activity shows it; state and query are null without the rights to see them. */
    record Blocker(int pid, String application, String state, double stateSeconds, String client, String query) {

        /** "pid 4242 (application myapp, idle in transaction for 3 min, client 10.0.0.7, query 'UPDATE t ...')". */
        String describe() {
            StringBuilder out = new StringBuilder("pid ").append(pid).append(" (application ")
                    .append(application == null || application.isEmpty() ? "unnamed" : application);
            if (state != null) {
                out.append(", ").append(state).append(" for ").append(LockWaitWatch.human(stateSeconds));
            }
            out.append(", client ").append(client == null ? "local socket" : client);
            if (query != null && !query.isBlank() && state != null) {
                out.append(", ").append(state.startsWith("idle") ? "last query '" : "query '").append(query).append('\'');
            }
            return out.append(')').toString();
        }
    }

    private static final String QUERY = "SELECT w.locktype, "
            + "CASE WHEN w.relation IS NOT NULL THEN w.relation::regclass::text END, "
            + "%s, "
            + "b.pid, b.application_name, b.state, extract(epoch FROM clock_timestamp() - b.state_change)::float8, "
            + "host(b.client_addr), "
            // 60 characters of the blocker's query, on one line; more would swamp the notice.
            + "CASE WHEN length(b.query) > 60 THEN left(regexp_replace(b.query, '\\s+', ' ', 'g'), 57) || '...' "
            + "ELSE regexp_replace(b.query, '\\s+', ' ', 'g') END, "
            + "cardinality(blocking.pids) "
            // pg_blocking_pids locks the whole lock manager for a moment: once per poll is enough.
            + "FROM pg_locks w CROSS JOIN LATERAL (SELECT pg_blocking_pids(w.pid) AS pids) blocking "
            + "LEFT JOIN pg_stat_activity b ON b.pid = blocking.pids[1] "
            + "WHERE w.pid = ? AND NOT w.granted LIMIT 1";

    /** pg_locks.waitstart exists from PostgreSQL 14 on. */
    private static final String WAITED = "coalesce(extract(epoch FROM clock_timestamp() - w.waitstart)::float8, 0)";

    /** What {@code pid} waits for now, or null when it waits for no lock. */
    static LockWait of(Connection conn, int pid) throws SQLException {
        boolean waitstart = conn.getMetaData().getDatabaseMajorVersion() >= 14;
        try (PreparedStatement ps = conn.prepareStatement(String.format(QUERY, waitstart ? WAITED : "-1::float8"))) {
            ps.setQueryTimeout(10);
            ps.setInt(1, pid);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return null;
                }
                Blocker blocker = rs.getObject(4) == null ? null : new Blocker(rs.getInt(4), rs.getString(5),
                        rs.getString(6), rs.getDouble(7), rs.getString(8), rs.getString(9));
                String locktype = rs.getString(1);
                return new LockWait(object(locktype, rs.getString(2)), !"virtualxid".equals(locktype), rs.getDouble(3), blocker,
                        Math.max(0, rs.getInt(10) - 1));
            }
        }
    }

    /** Cancels {@code pid}'s statement if it still waits for a cancellable lock; true when the cancel was sent. */
    static boolean cancel(Connection conn, int pid) throws SQLException {
        try (PreparedStatement ps = conn.prepareStatement("SELECT pg_cancel_backend(pid) FROM pg_locks "
                + "WHERE pid = ? AND NOT granted AND locktype <> 'virtualxid' LIMIT 1")) {
            ps.setQueryTimeout(10);
            ps.setInt(1, pid);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() && rs.getBoolean(1);
            }
        }
    }

    /** "held by pid 4242 (...)", "held by pid 4242 (...) and 2 more sessions", or an unseen holder. */
    String holders() {
        String verb = cancellable ? "held by " : "among them ";
        if (blocker == null) {
            return verb + "a session this user cannot see";
        }
        return verb + blocker.describe() + (others == 0 ? "" : " and " + others + " more session" + (others == 1 ? "" : "s"));
    }

    private static String object(String locktype, String relation) {
        if (relation != null) {
            return "a lock on table " + relation;
        }
        return switch (locktype) {
            case "transactionid", "tuple" -> "a row lock (another transaction is changing the row)";
            case "advisory" -> "an advisory lock";
            case "virtualxid" -> "older transactions to end";
            default -> "a " + locktype + " lock";
        };
    }
}
