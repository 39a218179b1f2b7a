package pgshift.testing;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

import pgshift.config.DatabaseUrl;
import pgshift.db.Snapshots;

/**
 * Databases named and commented as pgshift's snapshots of a target, made by a given pid: what a
 * watch that was killed leaves behind (a pid that no process has), or what a running one keeps
 * (this test process's pid).
 */
public final class LeftSnapshots {

    /** No process has this pid: Linux's pid_max is at most 2^22. */
    public static final long GONE = 999_999_999L;

    private LeftSnapshots() {
    }

    /** Makes an empty database named and commented as a snapshot (or spare) of {@code target} of that kind and state. */
    public static String make(DatabaseUrl target, Snapshots.Kind kind, String state, long pid) throws SQLException {
        Snapshots snapshots = new Snapshots(target, notice -> { });
        String name = snapshots.name(kind, state);
        String comment = switch (kind) {
            case SPARE -> "pgshift watch spare of database " + target.database() + ": a copy of "
                    + snapshots.name(Snapshots.Kind.WATCH, state) + " (oid 1)";
            case WATCH -> "pgshift watch snapshot of database " + target.database() + " after 1";
            case RESET -> "pgshift reset snapshot of database " + target.database() + " after 1";
        } + "; made by pgshift pid " + pid;
        try (Connection c = TestPostgres.connect(TestPostgres.admin()); Statement st = c.createStatement()) {
            st.execute("CREATE DATABASE \"" + name + "\" TEMPLATE template0");
            st.execute("COMMENT ON DATABASE \"" + name + "\" IS '" + comment.replace("'", "''") + "'");
        }
        return name;
    }

    public static boolean exists(String name) throws SQLException {
        try (Connection c = TestPostgres.connect(TestPostgres.admin());
             PreparedStatement ps = c.prepareStatement("SELECT 1 FROM pg_database WHERE datname = ?")) {
            ps.setString(1, name);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }

    public static void drop(String name) throws SQLException {
        try (Connection c = TestPostgres.connect(TestPostgres.admin()); Statement st = c.createStatement()) {
            st.execute("DROP DATABASE IF EXISTS \"" + name + "\"");
        }
    }
}
