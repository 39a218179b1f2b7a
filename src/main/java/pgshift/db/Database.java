package pgshift.db;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Properties;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

import pgshift.failure.PgshiftException;
import pgshift.config.DatabaseUrl;
import pgshift.config.Secrets;

/**
 * The target database: the only place that opens connections to it. Each command opens its own
 * connection and closes it at the end, so nothing a migration set in its session (SET, SET ROLE,
 * temporary tables) reaches the next command, and a server restart between two commands needs no
 * repair. Connections opened for commands are remembered until closed: {@link #cancelRunning()}
 * is the one cancel handle that Ctrl-C and SIGTERM use.
 */
public final class Database {

    private final DatabaseUrl url;
    private final String source;
    private final Consumer<String> notices;
    /** The open connections of commands (not of a watch), each with whether it was cancelled. */
    private final Map<Connection, Boolean> foreground = new ConcurrentHashMap<>();
    /** The last attempt to connect failed: the next success says it is connected again. */
    private volatile boolean unreachable;

    /**
     * @param source  where the URL came from, named in connection errors ("DATABASE_URL in .env")
     * @param notices hears the one-line notice when the server answers again after a failed connect
     */
    public Database(DatabaseUrl url, String source, Consumer<String> notices) {
        this.url = url;
        this.source = source;
        this.notices = notices;
    }

    public DatabaseUrl url() {
        return url;
    }

    /**
     * A new connection for one command, which the caller closes. Unreachable servers fail with a
     * one-paragraph message.
     */
    public Connection connection() {
        foreground.keySet().removeIf(Database::isClosed);
        Connection conn = open();
        foreground.put(conn, false);
        return conn;
    }

    /** A new connection for work that Ctrl-C must not cancel (a watch running beside the shell's commands). */
    public Connection backgroundConnection() {
        return open();
    }

    /**
     * A plain connection to a URL, named pgshift on the server, with the URL's timeouts; for work
     * beside a command's database (another database on its server, a shadow).
     */
    public static Connection connect(DatabaseUrl url) throws SQLException {
        Properties props = url.connectionProperties();
        props.putIfAbsent("ApplicationName", "pgshift");
        return DriverManager.getConnection(url.jdbcUrl(), props);
    }

    private Connection open() {
        Connection conn;
        try {
            conn = connect(url);
        } catch (SQLException e) {
            unreachable = true;
            throw unreachable(e);
        }
        if (unreachable) {
            unreachable = false;
            notices.accept("Connected to " + url.masked() + " again.");
        }
        return conn;
    }

    /**
     * Asks the server to cancel what the commands' open connections are running (Ctrl-C, SIGTERM);
     * the command then fails with SQLSTATE 57014 and its transaction is rolled back. Returns false
     * when no command had a connection open.
     */
    public boolean cancelRunning() {
        boolean cancelled = false;
        for (Connection conn : foreground.keySet()) {
            try {
                if (conn.isClosed()) {
                    foreground.remove(conn);
                } else {
                    foreground.put(conn, true);
                    conn.unwrap(org.postgresql.PGConnection.class).cancelQuery();
                    cancelled = true;
                }
            } catch (SQLException e) {
                foreground.remove(conn); // gone: nothing runs on it any more
            }
        }
        return cancelled;
    }

    /** Whether {@link #cancelRunning()} was asked while this connection was open: its command was stopped by the user. */
    public boolean wasCancelled(Connection conn) {
        return foreground.getOrDefault(conn, false);
    }

    private static boolean isClosed(Connection conn) {
        try {
            return conn.isClosed();
        } catch (SQLException e) {
            return true;
        }
    }

    private PgshiftException unreachable(SQLException cause) {
        return PgshiftException.config(pgshift.config.ConnectFailure.message(url, source, cause), cause);
    }
}
