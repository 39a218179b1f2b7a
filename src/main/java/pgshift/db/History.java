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
            + "origin text NOT NULL CHECK (origin IN ('executed', 'marked')), "
            + "staged text[])";

    /** How a side row is written: a re-applied version (after mark-reverted) replaces the old facts. */
    private static final String SIDE_ON_CONFLICT = "ON CONFLICT (version) DO UPDATE SET applied_at = now(), "
            + "applied_by = current_user, execution_ms = EXCLUDED.execution_ms, origin = EXCLUDED.origin";

    /** pgshift's staging table of older versions: no longer used, removed when the tables are checked. */
    private static final String OLD_STAGING = SCHEMA + ".pgshift_staged_ledger";

    /** The side table's columns, for upgrading a side table made by an older pgshift in place. */
    private static final List<String> SIDE_COLUMNS = List.of(
            "applied_at timestamptz NOT NULL DEFAULT now()",
            "applied_by text NOT NULL DEFAULT current_user",
            "execution_ms bigint",
            "origin text CHECK (origin IN ('executed', 'marked'))",
            "staged text[]");

    /** Side rows a killed run left staged (see {@link LedgerStaging}): no ledger row, 50 MB each, useless. */
    private static final String DELETE_LEFTOVERS = "DELETE FROM " + SIDE + " s WHERE s.staged IS NOT NULL "
            + "AND NOT EXISTS (SELECT 1 FROM " + LEDGER + " m WHERE m.version = s.version)";

    /** Rows up to this size are written as one INSERT with literals; bigger ones through COPY. */
    private static final long INLINE_CHARS = 256 * 1024;

    /**
     * The execution time measured by the server, for {@link #recordSql}: from the start of the
     * file's transaction (its first statement) to the ledger insert after its last one.
     */
    public static final String ELAPSED_IN_TRANSACTION =
            "(extract(epoch FROM clock_timestamp() - transaction_timestamp()) * 1000)::bigint";

    private History() {
    }

    /**
     * Creates the ledger and the side table when missing, in the caller's transaction mode (a
     * dry-run creates them inside its rolled-back transaction), and deletes what a killed run left
     * staged; call while holding the migration lock.
     */
    public static void ensureTables(Connection conn) throws SQLException {
        Shape shape = shape(conn);
        if (shape.ledger() && shape.side() && shape.statements() && shape.name()
                && shape.sideColumns().size() == SIDE_COLUMNS.size() && !shape.oldStaging()) {
            if (shape.staged()) {
                try (Statement st = conn.createStatement()) {
                    st.execute(DELETE_LEFTOVERS);
                }
            }
            return;
        }
        try (Statement st = conn.createStatement()) {
            for (String ddl : CREATE_LEDGER) {
                st.execute(ddl);
            }
            st.execute(CREATE_SIDE);
            for (String column : SIDE_COLUMNS) {
                st.execute("ALTER TABLE " + SIDE + " ADD COLUMN IF NOT EXISTS " + column);
            }
            st.execute("DROP TABLE IF EXISTS " + OLD_STAGING);
            st.execute(DELETE_LEFTOVERS);
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
        // A side table from an older pgshift may lack columns: read what is there (apply adds the rest).
        java.util.function.BiFunction<String, String, String> sideColumn = (column, expr) ->
                side && shape.sideColumns().contains(column) ? expr : "NULL";
        String sql = "SELECT m.version, " + (hasName ? "coalesce(m.name, '')" : "''") + ", "
                + (hasStatements ? "CASE WHEN m.statements IS NOT NULL THEN " + StatementsDigest.SQL.replace("statements", "m.statements") + " END" : "NULL") + ", "
                + sideColumn.apply("applied_at", "(extract(epoch FROM p.applied_at) * 1000000)::bigint") + ", "
                + sideColumn.apply("applied_by", "p.applied_by") + ", "
                + sideColumn.apply("execution_ms", "p.execution_ms") + ", "
                + sideColumn.apply("origin", "p.origin")
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
     * Records a migration in the caller's transaction: the ledger row exactly as the Supabase CLI
     * writes it, and the side row. Small rows go as one INSERT; a big file's row goes through
     * COPY, so its statements array is never built in memory as a whole (see {@link LedgerCopy}).
     *
     * @param executionMs null when nothing was executed (mark-applied)
     */
    public static void record(Connection conn, String version, String name, List<String> statements,
                              Long executionMs, String origin) throws SQLException {
        record(conn, version, name, statements, executionMs, origin, null);
    }

    /**
     * The same, taking a big row from {@code staged} when it holds it (see {@link #stage}).
     *
     * @param staged null, or this very row's staging
     */
    static void record(Connection conn, String version, String name, List<String> statements,
                       Long executionMs, String origin, LedgerStaging staged) throws SQLException {
        String sql = recordSql(version, name, statements, origin, executionMs == null ? "NULL" : executionMs.toString());
        if (sql != null) {
            try (Statement st = conn.createStatement()) {
                st.execute(sql);
            }
            return;
        }
        if (staged != null && staged.moveInto(conn, name, executionMs, origin)) {
            return;
        }
        LedgerCopy.insert(conn, version, name, statements);
        try (PreparedStatement ps = conn.prepareStatement(
                "INSERT INTO " + SIDE + " (version, execution_ms, origin) VALUES (?, ?, ?) " + SIDE_ON_CONFLICT)) {
            ps.setString(1, version);
            ps.setObject(2, executionMs, java.sql.Types.BIGINT);
            ps.setString(3, origin);
            ps.executeUpdate();
        }
    }

    /**
     * Starts writing a big row ahead on a connection from {@code aside}, for {@link #record} to
     * take in the file's transaction (see {@link LedgerStaging}); null for a row written inline.
     * The caller closes it once that transaction has ended.
     */
    static LedgerStaging stage(java.util.function.Supplier<Connection> aside, String version, List<String> statements) {
        return inline(statements) ? null : LedgerStaging.start(aside, version, statements);
    }

    private static boolean inline(List<String> statements) {
        long chars = 0;
        for (String s : statements) {
            chars += s.length();
        }
        return chars <= INLINE_CHARS;
    }

    /**
     * The rows of {@link #record} as one SQL statement with literals, which a file's last message
     * can carry together with COMMIT (one round trip per file); null for a row too big to write
     * that way, which {@link #record} writes through COPY.
     *
     * @param executionMs SQL for the execution time: a number, NULL, or {@link #ELAPSED_IN_TRANSACTION}
     */
    public static String recordSql(String version, String name, List<String> statements, String origin,
                                   String executionMs) {
        if (!inline(statements)) {
            return null;
        }
        long chars = 0;
        for (String s : statements) {
            chars += s.length();
        }
        StringBuilder sql = new StringBuilder(256 + (int) chars * 11 / 10);
        sql.append("WITH ledger AS (INSERT INTO supabase_migrations.schema_migrations(version, name, statements) VALUES(");
        literal(sql, version).append(", ");
        literal(sql, name).append(", ARRAY[");
        for (int i = 0; i < statements.size(); i++) {
            literal(i == 0 ? sql : sql.append(", "), statements.get(i));
        }
        sql.append("]::text[]) RETURNING version) INSERT INTO ").append(SIDE).append(" (version, execution_ms, origin) ")
                .append("SELECT version, ").append(executionMs).append(", ");
        literal(sql, origin).append(" FROM ledger ").append(SIDE_ON_CONFLICT);
        return sql.toString();
    }

    /** E'...' with backslashes and quotes escaped: correct whatever standard_conforming_strings says. */
    static StringBuilder literal(StringBuilder sql, String value) {
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
    private record Shape(boolean ledger, boolean side, boolean statements, boolean name, List<String> sideColumns,
                         boolean oldStaging) {

        /** Whether the side table can hold staged rows (an older one gets the column from {@link #ensureTables}). */
        boolean staged() {
            return sideColumns.contains("staged");
        }
    }

    private static Shape shape(Connection conn) throws SQLException {
        String column = "EXISTS (SELECT 1 FROM pg_attribute WHERE attrelid = to_regclass('" + LEDGER + "') "
                + "AND attname = '%s' AND NOT attisdropped)";
        String sql = "SELECT to_regclass('" + LEDGER + "') IS NOT NULL, to_regclass('" + SIDE + "') IS NOT NULL, "
                + column.formatted("statements") + ", " + column.formatted("name") + ", "
                + "ARRAY(SELECT attname::text FROM pg_attribute WHERE attrelid = to_regclass('" + SIDE + "') "
                + "AND attnum > 0 AND NOT attisdropped AND attname IN ('applied_at', 'applied_by', 'execution_ms', 'origin', 'staged')), "
                + "to_regclass('" + OLD_STAGING + "') IS NOT NULL";
        try (Statement st = conn.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return new Shape(rs.getBoolean(1), rs.getBoolean(2), rs.getBoolean(3), rs.getBoolean(4),
                    Arrays.asList((String[]) rs.getArray(5).getArray()), rs.getBoolean(6));
        }
    }
}
