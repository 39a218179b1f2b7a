package pgshift.db;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * A local Supabase stack's database ({@code supabase start}): its own schemas ({@code auth},
 * {@code storage}, {@code realtime}, ...) hold what its services need, so it is never dropped or
 * rewound as a whole. reset clears only what the migrations own.
 */
public final class SupabaseStack {

    /**
     * Schemas a Supabase stack or its extensions own, kept by reset. The ledger schema is kept too,
     * and emptied.
     */
    public static final Set<String> OWN_SCHEMAS = Set.of("auth", "storage", "realtime", "_realtime", "extensions", "graphql",
            "graphql_public", "net", "pgsodium", "pgsodium_masks", "pgbouncer", "supabase_functions", "vault",
            "_analytics", "_supavisor", "cron", "pgtle", "supabase_migrations");

    private SupabaseStack() {
    }

    /**
     * True for the database of a running Supabase stack: tables its services keep for their own
     * migrations exist (GoTrue's {@code auth.schema_migrations}, the storage API's
     * {@code storage.migrations}) or Realtime's {@code _realtime} schema. pgshift's Supabase base
     * makes none of them.
     */
    public static boolean is(Connection conn) throws SQLException {
        try (Statement st = conn.createStatement();
             ResultSet rs = st.executeQuery("SELECT to_regclass('auth.schema_migrations') IS NOT NULL "
                     + "OR to_regclass('storage.migrations') IS NOT NULL OR to_regnamespace('_realtime') IS NOT NULL")) {
            rs.next();
            return rs.getBoolean(1);
        }
    }

    /**
     * Drops what the migrations own, in one transaction: every schema that is neither the
     * server's, nor the stack's, nor an extension's; {@code public} is made again with its owner,
     * privileges and default privileges as they were; the ledger is emptied.
     *
     * @return the schemas dropped, {@code public} first
     */
    public static List<String> clear(Connection conn) throws SQLException {
        List<String> dropped = new ArrayList<>();
        List<String> publicAgain = new ArrayList<>();
        boolean auto = conn.getAutoCommit();
        conn.setAutoCommit(false);
        try (Statement st = conn.createStatement()) {
            try (ResultSet rs = st.executeQuery("SELECT n.nspname FROM pg_namespace n WHERE n.nspname !~ '^pg_' "
                    + "AND n.nspname <> 'information_schema' AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE "
                    + "d.classid = 'pg_namespace'::regclass AND d.objid = n.oid AND d.deptype = 'e') "
                    + "ORDER BY n.nspname <> 'public', n.nspname")) {
                while (rs.next()) {
                    if (!OWN_SCHEMAS.contains(rs.getString(1))) {
                        dropped.add(rs.getString(1));
                    }
                }
            }
            if (dropped.contains("public")) {
                publicAgain.addAll(recreate(st, "public"));
            }
            for (String schema : dropped) {
                st.execute("DROP SCHEMA " + Snapshots.ident(schema) + " CASCADE");
            }
            for (String sql : publicAgain) {
                st.execute(sql);
            }
            if (tableExists(st, History.SIDE)) {
                st.execute("DELETE FROM " + History.SIDE);
            }
            if (tableExists(st, "supabase_migrations.schema_migrations")) {
                st.execute("DELETE FROM supabase_migrations.schema_migrations");
            }
            conn.commit();
        } finally {
            if (!conn.getAutoCommit()) {
                conn.rollback();
            }
            conn.setAutoCommit(auto);
        }
        return dropped;
    }

    private static boolean tableExists(Statement st, String name) throws SQLException {
        try (ResultSet rs = st.executeQuery("SELECT to_regclass(" + Snapshots.literal(name) + ") IS NOT NULL")) {
            rs.next();
            return rs.getBoolean(1);
        }
    }

    /** The statements that make a schema again as it is now: owner, comment, privileges and default privileges. */
    private static List<String> recreate(Statement st, String schema) throws SQLException {
        List<String> sql = new ArrayList<>();
        String name = Snapshots.ident(schema);
        String where = "n.nspname = " + Snapshots.literal(schema);
        try (ResultSet rs = st.executeQuery("SELECT quote_ident(pg_get_userbyid(n.nspowner)), obj_description(n.oid, "
                + "'pg_namespace') FROM pg_namespace n WHERE " + where)) {
            rs.next();
            sql.add("CREATE SCHEMA " + name + " AUTHORIZATION " + rs.getString(1));
            if (rs.getString(2) != null) {
                sql.add("COMMENT ON SCHEMA " + name + " IS " + Snapshots.literal(rs.getString(2)));
            }
        }
        sql.add("REVOKE ALL ON SCHEMA " + name + " FROM PUBLIC");
        try (ResultSet rs = st.executeQuery("SELECT a.privilege_type, CASE WHEN a.grantee = 0 THEN 'PUBLIC' ELSE "
                + "quote_ident(pg_get_userbyid(a.grantee)) END, a.is_grantable FROM pg_namespace n, aclexplode(n.nspacl) a "
                + "WHERE " + where + " AND a.grantee <> n.nspowner")) {
            while (rs.next()) {
                sql.add("GRANT " + rs.getString(1) + " ON SCHEMA " + name + " TO " + rs.getString(2)
                        + (rs.getBoolean(3) ? " WITH GRANT OPTION" : ""));
            }
        }
        try (ResultSet rs = st.executeQuery("SELECT quote_ident(pg_get_userbyid(d.defaclrole)), d.defaclobjtype, "
                + "a.privilege_type, CASE WHEN a.grantee = 0 THEN 'PUBLIC' ELSE quote_ident(pg_get_userbyid(a.grantee)) END, "
                + "a.is_grantable FROM pg_default_acl d JOIN pg_namespace n ON n.oid = d.defaclnamespace, "
                + "aclexplode(d.defaclacl) a WHERE " + where)) {
            while (rs.next()) {
                String on = switch (rs.getString(2)) {
                    case "r" -> "TABLES";
                    case "S" -> "SEQUENCES";
                    case "f" -> "FUNCTIONS";
                    case "T" -> "TYPES";
                    default -> null;
                };
                if (on != null) {
                    sql.add("ALTER DEFAULT PRIVILEGES FOR ROLE " + rs.getString(1) + " IN SCHEMA " + name + " GRANT "
                            + rs.getString(3) + " ON " + on + " TO " + rs.getString(4) + (rs.getBoolean(5) ? " WITH GRANT OPTION" : ""));
                }
            }
        }
        return sql;
    }
}
