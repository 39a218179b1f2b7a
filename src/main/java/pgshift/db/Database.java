package pgshift.db;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Properties;

import pgshift.PgshiftException;
import pgshift.config.DatabaseUrl;
import pgshift.config.Secrets;

/**
 * The target database: the only place that opens connections to it. A command runs on one
 * connection from start to end (the migration lock is a session lock), so none is pooled.
 */
public final class Database {

    private final DatabaseUrl url;
    private final String source;
    /** The connection most recently opened: the one a running command uses, for Ctrl-C to cancel. */
    private volatile Connection current;

    private Database(DatabaseUrl url, String source) {
        this.url = url;
        this.source = source;
    }

    /** @param source where the URL came from, named in connection errors ("DATABASE_URL in .env") */
    public static Database open(DatabaseUrl url, String source) {
        return new Database(url, source);
    }

    public DatabaseUrl url() {
        return url;
    }

    /** Opens a connection; the caller closes it. Unreachable servers fail with a one-paragraph message. */
    public Connection connection() {
        Connection conn = connectionAside();
        current = conn;
        return conn;
    }

    /** A connection for helper work beside the command's own: Ctrl-C keeps cancelling the command's. */
    public Connection connectionAside() {
        Properties props = url.connectionProperties();
        props.putIfAbsent("ApplicationName", "pgshift");
        try {
            return DriverManager.getConnection(url.jdbcUrl(), props);
        } catch (SQLException e) {
            throw unreachable(e);
        }
    }

    /**
     * Asks the server to cancel the statement running on the current connection (Ctrl-C in the
     * shell); the command then fails with SQLSTATE 57014 and its transaction is rolled back.
     * Returns false when nothing was running.
     */
    public boolean cancelRunning() {
        Connection conn = current;
        try {
            if (conn == null || conn.isClosed()) {
                return false;
            }
            conn.unwrap(org.postgresql.PGConnection.class).cancelQuery();
            return true;
        } catch (SQLException e) {
            return false;
        }
    }

    private PgshiftException unreachable(SQLException cause) {
        String why = Secrets.mask(String.valueOf(cause.getMessage())).replace('\n', ' ');
        return PgshiftException.config("Cannot connect to " + url.masked()
                + (source == null ? "" : " (from " + source + ")") + ": " + why
                + ". Check that the server is running and reachable and that the URL, user and password are right.",
                cause);
    }
}
