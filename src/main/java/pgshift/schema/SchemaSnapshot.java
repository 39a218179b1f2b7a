package pgshift.schema;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Every object of a database's schemas in scope, keyed by identity, with its definition as the
 * server prints it (see {@link Catalog}): schemas, extensions, tables, columns, constraints,
 * indexes, views, sequences, functions, triggers, policies, types, comments and grants.
 */
public record SchemaSnapshot(List<String> schemas, Map<SchemaObject.Key, SchemaObject> objects) {

    /**
     * Schemas left out unless asked for: pgshift's ledger, and those a Supabase base, its services
     * or its extensions keep (the migrations do not own them).
     */
    public static final Set<String> LEFT_OUT = pgshift.db.SupabaseStack.OWN_SCHEMAS;

    public SchemaSnapshot {
        schemas = List.copyOf(schemas);
        objects = Collections.unmodifiableMap(new LinkedHashMap<>(objects));
    }

    /**
     * Takes the snapshot on {@code conn} (in autocommit mode), in one read-only transaction whose
     * search_path is pg_catalog alone.
     *
     * @param only the schemas to cover; empty for every schema but the server's, an extension's and {@link #LEFT_OUT}
     */
    public static SchemaSnapshot take(Connection conn, Set<String> only) throws SQLException {
        boolean auto = conn.getAutoCommit();
        conn.setAutoCommit(false); // one transaction: every family sees the same catalog
        try (Statement st = conn.createStatement()) {
            st.execute("SET LOCAL search_path = pg_catalog");
            List<String> schemas = new ArrayList<>();
            try (ResultSet rs = st.executeQuery(Catalog.CANDIDATE_SCHEMAS)) {
                while (rs.next()) {
                    String name = rs.getString(1);
                    if (only.isEmpty() ? !LEFT_OUT.contains(name) : only.contains(name)) {
                        schemas.add(name);
                    }
                }
            }
            Set<String> keywords = new java.util.HashSet<>();
            try (ResultSet rs = st.executeQuery(Sql.KEYWORDS)) {
                while (rs.next()) {
                    keywords.add(rs.getString(1));
                }
            }
            CatalogReader reader = new CatalogReader(new Sql(keywords));
            Array scope = conn.createArrayOf("text", schemas.toArray());
            for (Family family : CatalogReader.FAMILIES) {
                try (PreparedStatement ps = conn.prepareStatement(family.sql())) {
                    ps.setArray(1, scope);
                    try (ResultSet rs = ps.executeQuery()) {
                        while (rs.next()) {
                            family.reader().read(reader, rs);
                        }
                    }
                }
            }
            return new SchemaSnapshot(schemas, reader.objects());
        } finally {
            conn.rollback(); // read only: SET LOCAL goes with it
            conn.setAutoCommit(auto);
        }
    }

    /** One catalog query and how its rows become objects. */
    record Family(String sql, RowReader reader) {
    }

    @FunctionalInterface
    interface RowReader {
        void read(CatalogReader into, ResultSet row) throws SQLException;
    }
}
