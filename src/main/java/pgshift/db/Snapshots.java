package pgshift.db;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import pgshift.config.DatabaseUrl;
import pgshift.failure.PgshiftException;

/**
 * Copies of a local database kept beside it on the same server, as databases made with
 * {@code CREATE DATABASE ... TEMPLATE}: watch's rewind and reset restore the target from them.
 * Each is named {@code pgshift_<kind>_<target>_<state>}: the kind ({@code w} a watch's copy of the
 * database as it was, {@code r} reset's copy of the migrations alone, {@code s} a spare copy of a
 * watch's snapshot, made ahead for the next rewind), a digest of the target
 * database's name and one of the migrations it holds (see {@link #chain}), and its comment says
 * the same in words, with the pid of the pgshift that made it. Nothing here is used on a database
 * that is not local.
 */
public final class Snapshots {

    /** What a snapshot holds. */
    public enum Kind {
        /** The database as watch found it after a pass: migrations and whatever the app wrote. */
        WATCH("w"),
        /** The migrations alone, as reset applied them to an empty database. */
        RESET("r"),
        /**
         * A copy of a watch snapshot, made while watch waits for the next save (see
         * {@link #makeSpare}), which a restore from that snapshot renames into place instead of
         * copying it then.
         */
        SPARE("s");

        private final String letter;

        Kind(String letter) {
            this.letter = letter;
        }
    }

    /**
     * @param state digest prefix of the migrations it holds (see {@link #chain})
     * @param pid   the pgshift process that made it; 0 when unknown
     */
    public record Snapshot(String name, Kind kind, String state, String label, long pid) {

        /** A watch's snapshot or spare whose watch is gone (killed, or a crash): nothing will remove it but a cleanup. */
        public boolean leftover() {
            return kind != Kind.RESET && (pid == 0 || ProcessHandle.of(pid).map(p -> !p.isAlive()).orElse(true));
        }
    }

    /** Settings the server keeps for a database outside it, which a copy does not take along. */
    private static final Set<String> LIST_SETTINGS = Set.of("search_path", "temp_tablespaces", "local_preload_libraries",
            "session_preload_libraries", "shared_preload_libraries", "unix_socket_directories");
    private static final Pattern COMMENT = Pattern.compile("pid (\\d+)");
    private static final int STATE_CHARS = 16;
    /** Tries at making a snapshot while another session is connected, 100 ms apart. */
    private static final int BUSY_ATTEMPTS = 4;

    private final DatabaseUrl target;
    private final String database;
    private final Consumer<String> notices;
    private CompletableFuture<Void> dropping = CompletableFuture.completedFuture(null);

    public Snapshots(DatabaseUrl target, Consumer<String> notices) {
        this.target = target;
        this.database = target.database();
        this.notices = notices;
    }

    /**
     * Digests of the migrations a database holds after each number of files: element k stands for
     * the first k files (element 0 for none). Two databases built from files with the same digests,
     * in the same order, on the same base, get the same element.
     *
     * @param base what the empty database holds before any migration (e.g. the Supabase base), or ""
     */
    public static List<String> chain(String base, List<String> versions, List<String> digests) {
        List<String> chain = new ArrayList<>(versions.size() + 1);
        String previous = sha256("pgshift snapshot 1\0" + base);
        chain.add(previous);
        for (int i = 0; i < versions.size(); i++) {
            previous = sha256(previous + "\0" + versions.get(i) + "\0" + digests.get(i));
            chain.add(previous);
        }
        return chain;
    }

    /** The name a snapshot of this kind, holding this state, has. */
    public String name(Kind kind, String state) {
        return "pgshift_" + kind.letter + "_" + sha256(database).substring(0, 8) + "_" + state.substring(0, STATE_CHARS);
    }

    /** Every snapshot of the target database, of both kinds. */
    public List<Snapshot> list(Connection admin) throws SQLException {
        String owner = sha256(database).substring(0, 8);
        List<Snapshot> found = new ArrayList<>();
        try (PreparedStatement ps = admin.prepareStatement("SELECT datname, shobj_description(oid, 'pg_database') "
                + "FROM pg_database WHERE datname ~ ? ORDER BY datname")) {
            ps.setString(1, "^pgshift_[wrs]_" + owner + "_[0-9a-f]{" + STATE_CHARS + "}$");
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    String name = rs.getString(1);
                    String comment = rs.getString(2) == null ? "" : rs.getString(2);
                    Matcher pid = COMMENT.matcher(comment);
                    char letter = name.charAt("pgshift_".length());
                    Kind kind = letter == 'w' ? Kind.WATCH : letter == 's' ? Kind.SPARE : Kind.RESET;
                    found.add(new Snapshot(name, kind, name.substring(name.length() - STATE_CHARS), comment,
                            pid.find() ? Long.parseLong(pid.group(1)) : 0));
                }
            }
        }
        return found;
    }

    /** The snapshot of this kind holding the state, if there is one. */
    public static Snapshot find(List<Snapshot> snapshots, Kind kind, String state) {
        String key = state.substring(0, STATE_CHARS);
        return snapshots.stream().filter(s -> s.kind() == kind && s.state().equals(key)).findFirst().orElse(null);
    }

    /**
     * A connection to another database on the target's server, from which the target can be copied,
     * dropped and created ({@code postgres}, or {@code template1} when the target is {@code postgres}).
     */
    public Connection admin() throws SQLException {
        String other = database.equals("postgres") ? "template1" : "postgres";
        return Database.connect(target.withDatabase(other));
    }

    /**
     * Copies the target database as it is now. No session may be connected to it meanwhile (the
     * server's rule for a template): false when another one is, and nothing was made.
     *
     * @param label what it holds, in words ("after 20251112000001")
     */
    public boolean take(Connection admin, Kind kind, String state, String label) throws SQLException {
        String name = name(kind, state);
        // The server waits up to 5 s for other sessions to leave before it refuses to copy a database
        // they use: look first. A passing command's session is waited for a little; an app's is not.
        if (otherSessions(admin, true) > 0) {
            return false;
        }
        String strategy = copyStrategy(admin);
        for (int attempt = 1; ; attempt++) {
            if (otherSessions(admin, false) == 0) {
                try (Statement st = admin.createStatement()) {
                    st.execute("DROP DATABASE IF EXISTS " + ident(name));
                    st.execute("CREATE DATABASE " + ident(name) + " TEMPLATE " + ident(database) + strategy);
                    break;
                } catch (SQLException e) {
                    if (!"55006".equals(e.getSQLState())) { // 55006: source database is being accessed by other users
                        throw e;
                    }
                }
            }
            if (attempt == BUSY_ATTEMPTS) {
                return false;
            }
            pause();
        }
        try (Statement st = admin.createStatement()) {
            st.execute("COMMENT ON DATABASE " + ident(name) + " IS " + literal("pgshift " + (kind == Kind.WATCH ? "watch" : "reset")
                    + " snapshot of database " + database + " " + label + "; made by pgshift pid " + ProcessHandle.current().pid()));
        }
        return true;
    }

    /**
     * Replaces the target database by a copy of the snapshot, or by a new empty database when
     * {@code from} is null. The copy is made first, so a failure leaves the target as it was; then
     * every other session on the target is ended and, in one transaction, the target is renamed
     * aside and the copy renamed in its place, with the target's owner, privileges, comment and
     * settings. The old database is dropped on another connection meanwhile (a 30 MB one takes
     * the server 0.15 s): {@link #awaitDrops()} waits for it. A spare copy of a watch snapshot
     * (see {@link #makeSpare}) stands in for the copy when it is still a copy of that snapshot.
     *
     * @return how many other sessions were ended, and whether a spare copy stood in for the copy
     */
    public Restore restore(Connection admin, Snapshot from) throws SQLException {
        awaitDrops();
        String tag = sha256(database).substring(0, 8);
        String fresh = "pgshift_new_" + tag;
        String old = "pgshift_old_" + tag;
        Kept kept = Kept.read(admin, database);
        int ended = 0;
        boolean spare;
        try (Statement st = admin.createStatement()) {
            st.execute("DROP DATABASE IF EXISTS " + ident(fresh));
            st.execute("DROP DATABASE IF EXISTS " + ident(old));
            spare = from != null && from.kind() == Kind.WATCH && takeSpare(admin, st, from, fresh, kept.owner);
            if (!spare) {
                st.execute("CREATE DATABASE " + ident(fresh) + " TEMPLATE " + ident(from == null ? "template0" : from.name())
                        + " OWNER " + ident(kept.owner));
            }
            try {
                for (int attempt = 1; ; attempt++) {
                    ended += endSessions(admin);
                    try {
                        swap(admin, st, fresh, old);
                        break;
                    } catch (SQLException e) {
                        if (!"55006".equals(e.getSQLState()) || attempt == BUSY_ATTEMPTS) {
                            throw e; // 55006: a session connected again between the two
                        }
                    }
                }
            } catch (SQLException e) {
                st.execute("DROP DATABASE IF EXISTS " + ident(fresh));
                throw e;
            }
            kept.apply(st, database);
        }
        dropping = CompletableFuture.runAsync(() -> {
            try (Connection other = admin()) {
                dropDatabase(other, old);
            } catch (SQLException e) {
                notices.accept("Could not remove the replaced copy " + old + " (" + e.getMessage()
                        + "); the next rewind or reset removes it.");
            }
        }, daemon("pgshift-drop"));
        return new Restore(ended, spare);
    }

    /** What a {@link #restore} did: how many other sessions it ended, and whether a spare copy stood in for the copy. */
    public record Restore(int sessionsEnded, boolean fromSpare) {
    }

    /**
     * Starts making a spare copy of a watch snapshot on a connection of its own, while watch waits
     * for the next save: a restore from that snapshot then renames the spare into place, where it
     * would otherwise copy the snapshot while the user waits (most of a rewind's time: 0.2 to
     * 1 s for a 60 MB database here). One spare per database and watch: this process's others,
     * and those of a watch that is gone, are dropped. The spare's
     * comment names the snapshot it copies and that snapshot's oid, so a snapshot made again
     * under the same name is not stood in for by a copy of the one before. Failing to make one
     * costs nothing but the time: the next restore copies as before, and says nothing of it.
     *
     * @param state the state the watch snapshot holds (see {@link #chain}); no spare when there is none
     * @return done when the spare is made, or was not; never completes exceptionally
     */
    public CompletableFuture<Void> makeSpare(String state) {
        return CompletableFuture.runAsync(() -> {
            try (Connection admin = admin()) {
                List<Snapshot> all = list(admin);
                Snapshot from = find(all, Kind.WATCH, state);
                if (from == null) {
                    return;
                }
                String name = name(Kind.SPARE, from.state());
                boolean ready = false;
                for (Snapshot s : all) {
                    if (s.kind() == Kind.SPARE && s.name().equals(name) && spareOf(admin, name, from)) {
                        ready = true;
                    } else if (s.kind() == Kind.SPARE && (s.pid() == ProcessHandle.current().pid() || s.leftover())) {
                        drop(admin, s);
                    }
                }
                long oid = oid(admin, from.name());
                if (ready || oid == 0) {
                    return; // made already, or the snapshot is gone
                }
                try (Statement st = admin.createStatement()) {
                    st.execute("CREATE DATABASE " + ident(name) + " TEMPLATE " + ident(from.name()) + copyStrategy(admin));
                    st.execute("COMMENT ON DATABASE " + ident(name) + " IS " + literal("pgshift watch spare of database "
                            + database + ": " + copyOf(from.name(), oid) + "; made by pgshift pid " + ProcessHandle.current().pid()));
                }
            } catch (SQLException | RuntimeException e) {
                // Not made, or made without its comment, which no restore takes and the next cleanup drops.
            }
        }, daemon("pgshift-spare"));
    }

    /**
     * Renames the spare copy of {@code from} to {@code fresh}, owned by {@code owner}, when there is
     * one and it still copies that snapshot; false, with a stale spare dropped, when there is not.
     */
    private boolean takeSpare(Connection admin, Statement st, Snapshot from, String fresh, String owner) throws SQLException {
        String name = name(Kind.SPARE, from.state());
        if (oid(admin, name) == 0) {
            return false;
        }
        if (spareOf(admin, name, from)) {
            try {
                st.execute("ALTER DATABASE " + ident(name) + " RENAME TO " + ident(fresh));
                st.execute("ALTER DATABASE " + ident(fresh) + " OWNER TO " + ident(owner));
                st.execute("COMMENT ON DATABASE " + ident(fresh) + " IS NULL"); // the spare's; a copy has none
                return true;
            } catch (SQLException e) {
                st.execute("DROP DATABASE IF EXISTS " + ident(fresh)); // someone connected to it: copy instead
            }
        }
        dropDatabase(admin, name);
        return false;
    }

    /** Whether the database {@code spare}'s comment says it copies {@code from} as that snapshot is now (its oid). */
    private static boolean spareOf(Connection admin, String spare, Snapshot from) throws SQLException {
        try (PreparedStatement ps = admin.prepareStatement("SELECT shobj_description(s.oid, 'pg_database'), f.oid "
                + "FROM pg_database s, pg_database f WHERE s.datname = ? AND f.datname = ?")) {
            ps.setString(1, spare);
            ps.setString(2, from.name());
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() && rs.getString(1) != null && rs.getString(1).contains(copyOf(from.name(), rs.getLong(2)));
            }
        }
    }

    private static String copyOf(String snapshot, long oid) {
        return "a copy of " + snapshot + " (oid " + oid + ")";
    }

    /** The database's oid, 0 when there is none of that name. */
    private static long oid(Connection admin, String database) throws SQLException {
        try (PreparedStatement ps = admin.prepareStatement("SELECT oid FROM pg_database WHERE datname = ?")) {
            ps.setString(1, database);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getLong(1) : 0;
            }
        }
    }

    private static java.util.concurrent.Executor daemon(String name) {
        return command -> {
            Thread t = new Thread(command, name);
            t.setDaemon(true);
            t.start();
        };
    }

    /** Waits until the database a restore replaced is dropped. */
    public void awaitDrops() {
        dropping.join();
    }

    /** The target renamed aside and the copy renamed in its place, in one transaction: there is never no target. */
    private void swap(Connection admin, Statement st, String fresh, String old) throws SQLException {
        admin.setAutoCommit(false);
        try {
            st.execute("ALTER DATABASE " + ident(database) + " RENAME TO " + ident(old));
            st.execute("ALTER DATABASE " + ident(fresh) + " RENAME TO " + ident(database));
            admin.commit();
        } finally {
            if (!admin.getAutoCommit()) {
                admin.rollback();
                admin.setAutoCommit(true);
            }
        }
    }

    private static void pause() {
        try {
            Thread.sleep(100);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Other sessions on the target; with {@code settled}, only those there for a second or more
     * (an app's, a psql's), not a passing command's.
     */
    private int otherSessions(Connection admin, boolean settled) throws SQLException {
        // Autovacuum workers do not count: the server stops them itself for a copy.
        try (PreparedStatement ps = admin.prepareStatement("SELECT count(*) FROM pg_stat_activity WHERE datname = ? "
                + "AND pid <> pg_backend_pid() AND backend_type = 'client backend'" + (settled ? " AND backend_start < now() - interval '1 second'" : ""))) {
            ps.setString(1, database);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        }
    }

    /** Ends every session on the target but this one: the user's app, a psql. */
    private int endSessions(Connection admin) throws SQLException {
        try (PreparedStatement ps = admin.prepareStatement("SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                + "WHERE datname = ? AND pid <> pg_backend_pid()")) {
            ps.setString(1, database);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        }
    }

    /** Drops a snapshot; one that is gone already is fine. */
    public void drop(Connection admin, Snapshot snapshot) throws SQLException {
        dropDatabase(admin, snapshot.name());
    }

    /** Drops a database of pgshift's, ending the sessions on it where the server can (13+); one that is gone is fine. */
    private static void dropDatabase(Connection admin, String name) throws SQLException {
        try (Statement st = admin.createStatement()) {
            st.execute("DROP DATABASE IF EXISTS " + ident(name) + (serverVersion(admin) >= 130000 ? " WITH (FORCE)" : ""));
        }
    }

    /** Says on the notices what could not be dropped, without failing the work that needed none of it. */
    public void dropQuietly(Connection admin, Snapshot snapshot) {
        try {
            drop(admin, snapshot);
        } catch (SQLException e) {
            notices.accept("Could not remove " + snapshot.name() + " (" + e.getMessage() + "); remove it with DROP DATABASE "
                    + ident(snapshot.name()) + ".");
        }
    }

    /**
     * Why the connected role cannot replace its database by a copy, or null when it can: it needs
     * to create databases (CREATEDB) and to own the database (or be a superuser) to drop it.
     */
    public static String cannotReplace(Connection conn) throws SQLException {
        try (Statement st = conn.createStatement(); ResultSet rs = st.executeQuery("SELECT r.rolsuper, r.rolcreatedb, "
                + "pg_has_role(d.datdba, 'MEMBER'), current_user, current_database() FROM pg_roles r, pg_database d "
                + "WHERE r.rolname = current_user AND d.datname = current_database()")) {
            if (!rs.next() || rs.getBoolean(1)) {
                return null;
            }
            if (!rs.getBoolean(2)) {
                return "the role " + rs.getString(4) + " may not create databases (it lacks CREATEDB)";
            }
            return rs.getBoolean(3) ? null : "the role " + rs.getString(4) + " does not own the database " + rs.getString(5);
        }
    }

    /** Refuses anything here on a database that is not on this machine. */
    public static void requireLocal(DatabaseUrl url, String what) {
        if (!url.isLocal()) {
            throw PgshiftException.usage("Refusing to " + what + " on " + url.masked() + ": " + url.host() + " is not this "
                    + "machine. It drops and recreates the database, so it only runs on local databases (localhost, "
                    + "127.0.0.0/8, ::1 or the embedded server), with or without --yes.");
        }
    }

    /**
     * How a snapshot is copied, as a clause of CREATE DATABASE. FILE_COPY (PostgreSQL 15+) copies
     * the database's files after a checkpoint, where the default, WAL_LOG, writes every page of the
     * copy to the WAL. On a server without fsync the checkpoint and the file copy cost little: a
     * first reset of 1,000 generated files (a 31 MB database) took its two snapshots in 0.45 s with
     * FILE_COPY against 0.75 s with WAL_LOG (medians of 4 and 5 interleaved runs, load average 5-7),
     * 1.33 + 0.20 s against 1.61 + 0.29 s at load 7.6 (6 runs each). With fsync on, FILE_COPY
     * syncs every copied file and the checkpoint the whole server: 1.6 to 13 s against 1.4 to
     * 2.4 s (3 runs each), so the default stays there.
     */
    static String copyStrategy(int serverVersionNum, boolean fsync) {
        return serverVersionNum >= 150000 && !fsync ? " STRATEGY FILE_COPY" : "";
    }

    /** {@link #copyStrategy(int, boolean)} for the server behind {@code admin}. */
    static String copyStrategy(Connection admin) throws SQLException {
        try (Statement st = admin.createStatement(); ResultSet rs = st.executeQuery(
                "SELECT current_setting('server_version_num')::int, current_setting('fsync')::boolean")) {
            rs.next();
            return copyStrategy(rs.getInt(1), rs.getBoolean(2));
        }
    }

    private static int serverVersion(Connection conn) throws SQLException {
        return conn.getMetaData().getDatabaseMajorVersion() * 10000;
    }

    /** What the server keeps about a database outside it: owner, privileges, comment, connection limit, settings. */
    private record Kept(String owner, List<String> grants, boolean revokePublic, String comment, int connectionLimit,
                        List<String[]> settings) {

        static Kept read(Connection admin, String database) throws SQLException {
            String owner;
            String comment;
            int limit;
            boolean hasAcl;
            List<String> grants = new ArrayList<>();
            List<String[]> settings = new ArrayList<>();
            try (PreparedStatement ps = admin.prepareStatement("SELECT pg_get_userbyid(datdba), shobj_description(oid, "
                    + "'pg_database'), datconnlimit, datacl IS NOT NULL FROM pg_database WHERE datname = ?")) {
                ps.setString(1, database);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        throw PgshiftException.config("The database " + database + " does not exist on this server.");
                    }
                    owner = rs.getString(1);
                    comment = rs.getString(2);
                    limit = rs.getInt(3);
                    hasAcl = rs.getBoolean(4);
                }
            }
            try (PreparedStatement ps = admin.prepareStatement("SELECT a.privilege_type, CASE WHEN a.grantee = 0 THEN "
                    + "'PUBLIC' ELSE quote_ident(pg_get_userbyid(a.grantee)) END, a.is_grantable FROM pg_database d, "
                    + "aclexplode(d.datacl) a WHERE d.datname = ? AND a.grantee <> d.datdba")) {
                ps.setString(1, database);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        grants.add(rs.getString(1) + "\0" + rs.getString(2) + (rs.getBoolean(3) ? " WITH GRANT OPTION" : ""));
                    }
                }
            }
            try (PreparedStatement ps = admin.prepareStatement("SELECT r.rolname, unnest(s.setconfig) FROM pg_db_role_setting s "
                    + "JOIN pg_database d ON d.oid = s.setdatabase LEFT JOIN pg_roles r ON r.oid = s.setrole WHERE d.datname = ?")) {
                ps.setString(1, database);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        settings.add(new String[] {rs.getString(1), rs.getString(2)});
                    }
                }
            }
            return new Kept(owner, grants, hasAcl, comment, limit, settings);
        }

        void apply(Statement st, String database) throws SQLException {
            String db = ident(database);
            if (revokePublic) {
                st.execute("REVOKE ALL ON DATABASE " + db + " FROM PUBLIC");
                for (String grant : grants) {
                    String[] parts = grant.split("\0", 2);
                    st.execute("GRANT " + parts[0] + " ON DATABASE " + db + " TO " + parts[1]);
                }
            }
            if (comment != null) {
                st.execute("COMMENT ON DATABASE " + db + " IS " + literal(comment));
            }
            if (connectionLimit != -1) {
                st.execute("ALTER DATABASE " + db + " CONNECTION LIMIT " + connectionLimit);
            }
            for (String[] setting : settings) {
                int eq = setting[1].indexOf('=');
                String name = setting[1].substring(0, eq);
                String value = setting[1].substring(eq + 1);
                // List settings are kept in their SQL form ("$user", public); the others as a plain value.
                String sql = " SET " + ident(name) + " TO " + (LIST_SETTINGS.contains(name.toLowerCase(java.util.Locale.ROOT))
                        ? value : literal(value));
                st.execute(setting[0] == null ? "ALTER DATABASE " + db + sql
                        : "ALTER ROLE " + ident(setting[0]) + " IN DATABASE " + db + sql);
            }
        }
    }

    static String ident(String name) {
        return "\"" + name.replace("\"", "\"\"") + "\"";
    }

    static String literal(String text) {
        return History.literal(new StringBuilder(), text).toString();
    }

    private static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
