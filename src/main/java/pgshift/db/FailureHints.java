package pgshift.db;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

import org.postgresql.util.PSQLException;

/**
 * The paragraph a failure report adds when the server's error alone does not say what to do:
 * which timeout setting stopped the statement and where it is set, that the file needs to run
 * without a transaction, or that the server lacks an extension the file creates.
 */
public final class FailureHints {

    /**
     * A setting as the failed session saw it: {@code value} as SHOW prints it, {@code source} as
     * pg_settings says ("user", "database", "database user", "configuration file", "client", ...),
     * and the session's login role and database, which the ALTER ... SET commands name.
     */
    public record Setting(String name, String value, String source, String role, String database) {
    }

    private FailureHints() {
    }

    /**
     * The hint for {@code error}, reading the setting it is about from {@code conn}; null when there
     * is nothing to add. Call it after the failed transaction was rolled back: in an aborted
     * transaction the setting cannot be read, and the hint then goes without its value.
     */
    public static String hint(SQLException error, Connection conn) {
        String state = error.getSQLState();
        String message = error instanceof PSQLException p && p.getServerErrorMessage() != null
                ? p.getServerErrorMessage().getMessage() : error.getMessage();
        String name = settingFor(state, message);
        return hint(state, message, name == null || conn == null ? null : read(conn, name));
    }

    /**
     * As {@link #hint(SQLException, Connection)}, and for an object that already exists, the way
     * to find out whether the database already holds what migration {@code version} makes.
     */
    public static String hint(SQLException error, Connection conn, String version) {
        String hint = hint(error, conn);
        return hint != null ? hint : alreadyExists(error.getSQLState(), version);
    }

    /** SQLSTATEs of an object that is already there: relation, object, column, function. */
    private static final java.util.Set<String> ALREADY_EXISTS = java.util.Set.of("42P07", "42710", "42701", "42723");

    /** The verify hint for an "already exists" error, or null for any other. */
    public static String alreadyExists(String sqlState, String version) {
        if (!ALREADY_EXISTS.contains(sqlState) || version == null) {
            return null;
        }
        // Also said when a shadow's replay fails (diff, verify): there only the last clause fits.
        return "An object this migration makes already exists. When it was made by hand or by another tool, run verify "
                + version + " to see, object by object, whether the database has what the file makes (when all of it "
                + "is there, mark-applied " + version + " records it without running it); when an earlier migration "
                + "makes it too, fix this file.";
    }

    /** The hint from the error's SQLSTATE and server message, and the setting it is about if known. */
    public static String hint(String sqlState, String serverMessage, Setting setting) {
        if (sqlState == null) {
            return null;
        }
        String name = settingFor(sqlState, serverMessage);
        if ("statement_timeout".equals(name)) {
            return "The statement ran into statement_timeout" + where(setting, name) + ". Migrations often run "
                    + "longer than the app's queries: raise it for migrations: " + alter(setting, name, "'15min'")
                    + ", or put SET statement_timeout = 0 at the top of the file.";
        }
        if ("lock_timeout".equals(name)) {
            return "The statement waited longer than lock_timeout" + where(setting, name) + " for a lock another "
                    + "session holds; it keeps a DDL from queueing the app's queries behind it. Find the session in "
                    + "pg_stat_activity (pg_blocking_pids) and run the migration when it is done, or give this file "
                    + "longer: SET lock_timeout = '30s' at the top of the file.";
        }
        String extension = missingExtension(sqlState, serverMessage);
        if (extension != null) {
            return "This PostgreSQL server does not have the extension " + extension + " installed (its files are "
                    + "not on the server; the embedded PostgreSQL has only the contrib extensions such as uuid-ossp, "
                    + "pgcrypto, pg_trgm, citext, hstore). Point DATABASE_URL at a server that has " + extension
                    + ", e.g. Supabase's local stack: run supabase start, then put its DB URL in .env.local as "
                    + "DATABASE_URL (postgresql://postgres@127.0.0.1:54322/postgres, with the password supabase status shows); or install "
                    + extension + " on this server.";
        }
        if ("2D000".equals(sqlState)) {
            return "A COMMIT or ROLLBACK inside a procedure or DO block cannot end the transaction pgshift runs the "
                    + "file in. The file must run without a transaction: put -- pgshift:no-transaction on its first line.";
        }
        return null;
    }

    /* PostgreSQL 15+: 0A000 'extension "vector" is not available'; before: 58P01 'could not open extension
       control file "/usr/share/postgresql/14/extension/vector.control": No such file or directory'. */
    private static final java.util.regex.Pattern NOT_AVAILABLE =
            java.util.regex.Pattern.compile("extension \"([^\"]+)\" is not available");
    private static final java.util.regex.Pattern NO_CONTROL_FILE =
            java.util.regex.Pattern.compile("could not open extension control file \"(?:[^\"]*/)?([^\"/]+)\\.control\"");

    /** The extension a CREATE EXTENSION could not find on the server, or null. */
    static String missingExtension(String sqlState, String serverMessage) {
        if (serverMessage == null) {
            return null;
        }
        java.util.regex.Matcher m = "0A000".equals(sqlState) ? NOT_AVAILABLE.matcher(serverMessage)
                : "58P01".equals(sqlState) ? NO_CONTROL_FILE.matcher(serverMessage) : null;
        return m != null && m.find() ? m.group(1) : null;
    }

    /** Which setting an error is about: only the server's message tells a timeout from a user's cancel. */
    static String settingFor(String sqlState, String serverMessage) {
        String message = serverMessage == null ? "" : serverMessage;
        if ("57014".equals(sqlState) && message.contains("statement timeout")) {
            return "statement_timeout";
        }
        if ("55P03".equals(sqlState) && message.contains("lock timeout")) {
            return "lock_timeout";
        }
        return null;
    }

    /** " (5s, set for role app; see pg_db_role_setting)", or nothing when the setting could not be read. */
    private static String where(Setting setting, String name) {
        if (setting == null) {
            return "";
        }
        String origin = switch (setting.source()) {
            case "user" -> "set for role " + setting.role() + "; see pg_db_role_setting";
            case "database" -> "set for database " + setting.database() + "; see pg_db_role_setting";
            case "database user" -> "set for role " + setting.role() + " in database " + setting.database()
                    + "; see pg_db_role_setting";
            case "configuration file" -> "set in the server's configuration file";
            case "client" -> "set by the connection: the options parameter of the database URL, or PGOPTIONS";
            case "session" -> "set in the session with SET " + name;
            case "default" -> "the server's default";
            default -> "set by " + setting.source();
        };
        return " (" + setting.value() + ", " + origin + ")";
    }

    /** The ALTER that changes the setting where it comes from; ALTER ROLE for the login role otherwise. */
    private static String alter(Setting setting, String name, String value) {
        String set = " SET " + name + " = " + value;
        if (setting == null) {
            return "ALTER ROLE <migration role>" + set;
        }
        return switch (setting.source()) {
            case "database" -> "ALTER DATABASE " + ident(setting.database()) + set;
            case "database user" -> "ALTER ROLE " + ident(setting.role()) + " IN DATABASE " + ident(setting.database()) + set;
            default -> "ALTER ROLE " + ident(setting.role()) + set;
        } + " (new sessions)";
    }

    /** The setting as this session sees it, or null when it cannot be read (aborted transaction, gone). */
    static Setting read(Connection conn, String name) {
        String sql = "SELECT current_setting(name), source, session_user::text, current_database()::text "
                + "FROM pg_settings WHERE name = ?";
        try (PreparedStatement ps = conn.prepareStatement(sql)) {
            ps.setString(1, name);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? new Setting(name, rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4)) : null;
            }
        } catch (SQLException e) {
            return null;
        }
    }

    private static String ident(String name) {
        return name.matches("[a-z_][a-z0-9_$]*") ? name : "\"" + name.replace("\"", "\"\"") + "\"";
    }
}
