package pgshift.db;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * Gives a database pgshift created itself what Supabase projects' migrations refer to (roles,
 * the auth, storage and extensions schemas, the realtime publication), from the resource
 * {@code pgshift/supabase-base.sql}. Never for a database the user configured.
 */
public final class SupabaseBase {

    /** A transaction lock, so two pgshift runs creating the base at once do not collide. */
    private static final long INSTALL_LOCK = 0x7067736869660002L;
    private static final String RESOURCE = "/pgshift/supabase-base.sql";

    private SupabaseBase() {
    }

    /**
     * Creates the base in the connection's database, in one transaction; running it on a database
     * that has it changes nothing. The connection's auto-commit setting is kept.
     */
    public static void install(Connection conn) throws SQLException {
        String script = script();
        boolean autoCommit = conn.getAutoCommit();
        conn.setAutoCommit(false);
        try (Statement st = conn.createStatement()) {
            st.execute("SELECT pg_advisory_xact_lock(" + INSTALL_LOCK + ")");
            st.execute(script);
            conn.commit();
        } catch (SQLException | RuntimeException e) {
            conn.rollback();
            throw e;
        } finally {
            conn.setAutoCommit(autoCommit);
        }
    }

    /** What a database made by pgshift holds before any migration, in a snapshot's key: this base's text. */
    public static String tag() {
        try {
            return "supabase base " + java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                    .digest(script().getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Whether the database has the base (its last objects: a run cut short is rolled back whole). */
    public static boolean installed(Connection conn) throws SQLException {
        try (Statement st = conn.createStatement();
             ResultSet rs = st.executeQuery("SELECT to_regclass('auth.users') IS NOT NULL "
                     + "AND to_regclass('storage.objects') IS NOT NULL "
                     + "AND to_regprocedure('auth.uid()') IS NOT NULL "
                     + "AND EXISTS (SELECT FROM pg_publication WHERE pubname = 'supabase_realtime')")) {
            return rs.next() && rs.getBoolean(1);
        }
    }

    private static String script() {
        try (InputStream in = SupabaseBase.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("The resource " + RESOURCE + " is missing from pgshift's jar: rebuild it.");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + RESOURCE + " from pgshift's jar", e);
        }
    }
}
