package pgshift.db;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.List;
import java.util.Properties;
import java.util.function.Consumer;

import pgshift.PgshiftException;
import pgshift.config.DatabaseUrl;
import pgshift.config.Secrets;

/**
 * The target database: the only place that opens connections to it. A one-shot command runs on
 * one connection from start to end (the migration lock is a session lock) and closes it; the
 * shell keeps its connections in a {@link ConnectionPool}, so they outlive commands and server
 * restarts.
 */
public final class Database implements AutoCloseable {

    private final DatabaseUrl url;
    private final String source;
    private final ConnectionPool pool;
    /** The connection most recently opened, when not pooled: the one a command uses, for cancelling. */
    private volatile Connection current;

    private Database(DatabaseUrl url, String source, Consumer<String> notices) {
        this.url = url;
        this.source = source;
        this.pool = notices == null ? null : new ConnectionPool(this::openConnection, notices, url.masked());
    }

    /** @param source where the URL came from, named in connection errors ("DATABASE_URL in .env") */
    public static Database open(DatabaseUrl url, String source) {
        return new Database(url, source, null);
    }

    /**
     * A database whose connections are kept between commands (the shell's).
     *
     * @param notices receives the one-line notice after a reconnect
     */
    public static Database pooled(DatabaseUrl url, String source, Consumer<String> notices) {
        return new Database(url, source, notices);
    }

    public DatabaseUrl url() {
        return url;
    }

    /**
     * A connection for one command; the caller closes it (a pooled one goes back to the pool).
     * Unreachable servers fail with a one-paragraph message.
     */
    public Connection connection() {
        if (pool != null) {
            return pool.borrow();
        }
        Connection conn = openConnection();
        current = conn;
        return conn;
    }

    /**
     * A connection for helper work beside the command's own (a big file's ledger row): never
     * pooled, and Ctrl-C keeps cancelling the command's. The caller closes it.
     */
    public Connection connectionAside() {
        return openConnection();
    }

    private Connection openConnection() {
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
     *
     * @param owner the thread running the command (a watcher's statements on another thread go on)
     */
    public boolean cancelRunning(Thread owner) {
        List<Connection> running = pool != null ? pool.lentTo(owner) : current == null ? List.of() : List.of(current);
        boolean cancelled = false;
        for (Connection conn : running) {
            try {
                if (!conn.isClosed()) {
                    conn.unwrap(org.postgresql.PGConnection.class).cancelQuery();
                    cancelled = true;
                }
            } catch (SQLException e) {
                // the connection is gone: nothing is running on it any more
            }
        }
        return cancelled;
    }

    /** Closes the connections kept for later commands. */
    @Override
    public void close() {
        if (pool != null) {
            pool.close();
        }
    }

    private PgshiftException unreachable(SQLException cause) {
        return PgshiftException.config(pgshift.config.ConnectFailure.message(url, source, cause), cause);
    }
}
