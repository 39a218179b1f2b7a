package pgshift.db;

import java.sql.Array;
import pgshift.migration.LedgerRow;
import pgshift.migration.StatementsDigest;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.List;

/**
 * The history tables: the Supabase ledger {@code supabase_migrations.schema_migrations}, created
 * exactly as the Supabase CLI creates it, and pgshift's side table with the facts the ledger lacks.
 */
public final class History {

    public static final String SCHEMA = "supabase_migrations";
    public static final String LEDGER = SCHEMA + ".schema_migrations";
    public static final String SIDE = SCHEMA + ".pgshift_applied";

    /** The Supabase CLI's own DDL, statement for statement, so either tool can create the ledger. */
    private static final List<String> CREATE_LEDGER = List.of(
            "CREATE SCHEMA IF NOT EXISTS supabase_migrations",
            "CREATE TABLE IF NOT EXISTS supabase_migrations.schema_migrations (version text NOT NULL PRIMARY KEY)",
            "ALTER TABLE supabase_migrations.schema_migrations ADD COLUMN IF NOT EXISTS statements text[]",
            "ALTER TABLE supabase_migrations.schema_migrations ADD COLUMN IF NOT EXISTS name text");

    // No foreign key to the ledger: the Supabase CLI truncates the ledger in some flows, and a
    // referencing table would make that fail. Side rows without a ledger row are simply ignored.
    private static final String CREATE_SIDE = "CREATE TABLE IF NOT EXISTS " + SIDE + " ("
            + "version text NOT NULL PRIMARY KEY, "
            + "applied_at timestamptz NOT NULL DEFAULT now(), "
            + "applied_by text NOT NULL DEFAULT current_user, "
            + "execution_ms bigint, "
            + "origin text NOT NULL CHECK (origin IN ('executed', 'marked')))";

    /** How a side row is written: a re-applied version (after mark-reverted) replaces the old facts. */
    private static final String SIDE_ON_CONFLICT = "ON CONFLICT (version) DO UPDATE SET applied_at = now(), "
            + "applied_by = current_user, execution_ms = EXCLUDED.execution_ms, origin = EXCLUDED.origin";

    /**
     * The ledger row exactly as the Supabase CLI inserts it, and the side row, in one statement:
     * one round trip per migration instead of two.
     */
    private static final String INSERT = "WITH ledger AS ("
            + "INSERT INTO supabase_migrations.schema_migrations(version, name, statements) VALUES(?, ?, ?) "
            + "RETURNING version) "
            + "INSERT INTO " + SIDE + " (version, execution_ms, origin) SELECT version, ?, ? FROM ledger "
            + SIDE_ON_CONFLICT;

    private History() {
    }

    /**
     * Creates the ledger and the side table when missing, in the caller's transaction mode (a
     * dry-run creates them inside its rolled-back transaction); call while holding the migration lock.
     */
    public static void ensureTables(Connection conn) throws SQLException {
        Shape shape = shape(conn);
        if (shape.ledger() && shape.side() && shape.statements() && shape.name()) {
            return;
        }
        try (Statement st = conn.createStatement()) {
            for (String ddl : CREATE_LEDGER) {
                st.execute(ddl);
            }
            st.execute(CREATE_SIDE);
        }
    }

    /** Reads every ledger row, oldest version first; an empty list when there is no ledger yet. */
    public static List<LedgerRow> read(Connection conn) throws SQLException {
        Shape shape = shape(conn);
        if (!shape.ledger()) {
            return List.of();
        }
        boolean side = shape.side();
        boolean hasStatements = shape.statements();
        boolean hasName = shape.name();
        String sql = "SELECT m.version, " + (hasName ? "coalesce(m.name, '')" : "''") + ", "
                + (hasStatements ? "CASE WHEN m.statements IS NOT NULL THEN " + StatementsDigest.SQL.replace("statements", "m.statements") + " END" : "NULL") + ", "
                + (side ? "(extract(epoch FROM p.applied_at) * 1000000)::bigint, p.applied_by, p.execution_ms, p.origin"
                        : "NULL::bigint, NULL, NULL::bigint, NULL")
                + " FROM " + LEDGER + " m"
                + (side ? " LEFT JOIN " + SIDE + " p ON p.version = m.version" : "");
        List<LedgerRow> rows = new ArrayList<>();
        try (Statement st = conn.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            while (rs.next()) {
                Long ms = rs.getLong(6);
                if (rs.wasNull()) {
                    ms = null;
                }
                // The time as microseconds since 1970: parsing 10,000 timestamps as text costs status real time.
                long micros = rs.getLong(4);
                OffsetDateTime appliedAt = rs.wasNull() ? null
                        : OffsetDateTime.ofInstant(Instant.EPOCH.plus(micros, ChronoUnit.MICROS), ZoneOffset.UTC);
                rows.add(new LedgerRow(rs.getString(1), rs.getString(2), rs.getString(3),
                        appliedAt, rs.getString(5), ms, rs.getString(7)));
            }
        }
        rows.sort((a, b) -> pgshift.migration.MigrationFile.VERSION_ORDER.compare(a.version(), b.version()));
        return rows;
    }

    /** The recorded statements of the given versions (for comparing and showing them). */
    public static Map<String, List<String>> recordedStatements(Connection conn, Collection<String> versions)
            throws SQLException {
        Map<String, List<String>> result = new HashMap<>();
        if (versions.isEmpty()) {
            return result;
        }
        try (PreparedStatement ps = conn.prepareStatement(
                "SELECT version, statements FROM " + LEDGER + " WHERE version = ANY(?) AND statements IS NOT NULL")) {
            ps.setArray(1, conn.createArrayOf("text", versions.toArray(new String[0])));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    result.put(rs.getString(1), Arrays.asList((String[]) rs.getArray(2).getArray()));
                }
            }
        }
        return result;
    }

    /**
     * The same rows for a big file: the ledger row goes through COPY so its statements array is
     * never built in memory as a whole (see {@link LedgerCopy}).
     */
    public static void insertLarge(Connection conn, String version, String name, List<String> statements,
                                   Long executionMs, String origin) throws SQLException {
        insertLarge(conn, version, name, statements, null, executionMs, origin);
    }

    /** The same, taking the ledger row from {@code staged} when it has it (see {@link LedgerStaging}). */
    static void insertLarge(Connection conn, String version, String name, List<String> statements,
                            LedgerStaging staged, Long executionMs, String origin) throws SQLException {
        if (staged == null || !staged.moveInto(conn, name)) {
            LedgerCopy.insert(conn, version, name, statements);
        }
        try (PreparedStatement ps = conn.prepareStatement(
                "INSERT INTO " + SIDE + " (version, execution_ms, origin) VALUES (?, ?, ?) " + SIDE_ON_CONFLICT)) {
            ps.setString(1, version);
            ps.setObject(2, executionMs, java.sql.Types.BIGINT);
            ps.setString(3, origin);
            ps.executeUpdate();
        }
    }

    /** Records a migration: the ledger row exactly as the Supabase CLI writes it, plus the side row. */
    public static void insert(Connection conn, String version, String name, List<String> statements,
                              Long executionMs, String origin) throws SQLException {
        try (PreparedStatement ps = conn.prepareStatement(INSERT)) {
            ps.setString(1, version);
            ps.setString(2, name);
            ps.setArray(3, conn.createArrayOf("text", statements.toArray(new String[0])));
            if (executionMs == null) {
                ps.setNull(4, java.sql.Types.BIGINT);
            } else {
                ps.setLong(4, executionMs);
            }
            ps.setString(5, origin);
            ps.executeUpdate();
        }
    }

    /**
     * The same insert as SQL text with literals, to send in one message with a file's statements
     * and COMMIT. The execution time is measured by the server: the message arrived at
     * statement_timestamp(), and the ledger insert runs after the file's statements.
     */
    public static String insertSql(String version, String name, List<String> statements, String origin) {
        StringBuilder sql = new StringBuilder(64 + statements.stream().mapToInt(String::length).sum() * 11 / 10);
        sql.append("WITH ledger AS (INSERT INTO supabase_migrations.schema_migrations(version, name, statements) VALUES(");
        literal(sql, version).append(", ");
        literal(sql, name).append(", ARRAY[");
        for (int i = 0; i < statements.size(); i++) {
            literal(i == 0 ? sql : sql.append(", "), statements.get(i));
        }
        sql.append("]::text[]) RETURNING version) INSERT INTO ").append(SIDE).append(" (version, execution_ms, origin) ")
                .append("SELECT version, (extract(epoch FROM clock_timestamp() - statement_timestamp()) * 1000)::bigint, ");
        literal(sql, origin).append(" FROM ledger ").append(SIDE_ON_CONFLICT);
        return sql.toString();
    }

    /** E'...' with backslashes and quotes escaped: correct whatever standard_conforming_strings says. */
    private static StringBuilder literal(StringBuilder sql, String value) {
        sql.append("E'");
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '\\' || c == '\'') {
                sql.append(c);
            }
            sql.append(c);
        }
        return sql.append('\'');
    }

    /** Deletes ledger rows (and their side rows); returns the versions that were there. */
    public static List<String> delete(Connection conn, Collection<String> versions) throws SQLException {
        Shape shape = shape(conn);
        if (!shape.ledger()) {
            return List.of();
        }
        Array array = conn.createArrayOf("text", versions.toArray(new String[0]));
        List<String> deleted = new ArrayList<>();
        try (PreparedStatement ps = conn.prepareStatement(
                "DELETE FROM " + LEDGER + " WHERE version = ANY(?) RETURNING version")) {
            ps.setArray(1, array);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    deleted.add(rs.getString(1));
                }
            }
        }
        if (shape.side()) {
            try (PreparedStatement ps = conn.prepareStatement("DELETE FROM " + SIDE + " WHERE version = ANY(?)")) {
                ps.setArray(1, array);
                ps.executeUpdate();
            }
        }
        return deleted;
    }

    /** Which history tables and ledger columns exist: ledgers from old Supabase CLIs lack some. */
    private record Shape(boolean ledger, boolean side, boolean statements, boolean name) {
    }

    private static Shape shape(Connection conn) throws SQLException {
        String column = "EXISTS (SELECT 1 FROM pg_attribute WHERE attrelid = to_regclass('" + LEDGER + "') "
                + "AND attname = '%s' AND NOT attisdropped)";
        String sql = "SELECT to_regclass('" + LEDGER + "') IS NOT NULL, to_regclass('" + SIDE + "') IS NOT NULL, "
                + column.formatted("statements") + ", " + column.formatted("name");
        try (Statement st = conn.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return new Shape(rs.getBoolean(1), rs.getBoolean(2), rs.getBoolean(3), rs.getBoolean(4));
        }
    }
}
