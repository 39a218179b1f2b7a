package pgshift.schema;

import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Function;

import pgshift.config.DatabaseUrl;
import pgshift.db.Database;
import pgshift.db.EmbeddedServer;
import pgshift.db.LockWaitWatch;
import pgshift.db.SupabaseStack;
import pgshift.db.Target;
import pgshift.engine.MigrationListener;
import pgshift.engine.Migrator;
import pgshift.engine.Planner;
import pgshift.failure.PgshiftException;
import pgshift.migration.MigrationFolder;
import pgshift.migration.PlanEntry;

/**
 * A scratch database where migrations are replayed through the {@link Migrator} to learn what
 * they make. It is dropped by {@link #close()}, and by a shutdown hook if the process ends first;
 * a database given with --shadow-url is emptied instead, never dropped.
 */
public final class Shadow implements AutoCloseable {

    /** Names of shadow databases pgshift makes; nothing else is ever dropped by it. */
    public static final String PREFIX = "pgshift_shadow_";

    private final String described;
    private final DatabaseUrl url;
    /** Where a made shadow is dropped from (a database on its server), or null for a given one. */
    private final DatabaseUrl dropFrom;
    private final EmbeddedServer embedded;
    private final Target target;
    private final Consumer<String> notices;
    private final Thread hook;
    private boolean closed;

    private Shadow(String described, DatabaseUrl url, DatabaseUrl dropFrom, EmbeddedServer embedded,
                   Consumer<String> notices) {
        this.described = described;
        this.url = url;
        this.dropFrom = dropFrom;
        this.embedded = embedded;
        this.notices = notices;
        this.target = new Target(url, "the shadow database", null, null, notices);
        this.hook = new Thread(this::close, "pgshift-shadow-drop");
        Runtime.getRuntime().addShutdownHook(hook);
    }

    /**
     * A given database (--shadow-url), which must be empty and is not the target; else a new one
     * on the target's server when it is local and the role may create databases; else a new one
     * on the embedded PostgreSQL.
     *
     * @param targetConn   a connection to the target, to learn whether its role may create databases
     * @param embeddedHome where the embedded PostgreSQL keeps its data, for the last resort
     * @param supabaseBase whether a shadow pgshift makes gets the Supabase base first (a Supabase project)
     */
    public static Shadow open(DatabaseUrl targetUrl, Connection targetConn, DatabaseUrl given, Path embeddedHome,
                              boolean supabaseBase, Consumer<String> notices) throws SQLException {
        return prepare(targetUrl, targetConn, given, embeddedHome, supabaseBase, notices).open();
    }

    /** The part of {@link #open} that takes a while (making the database), left to run where the caller likes. */
    @FunctionalInterface
    public interface Opening {
        Shadow open() throws SQLException;

        /**
         * Whether it makes a database on the target's own server: cheap enough to make before the
         * command knows it needs one. The embedded PostgreSQL takes seconds to start, a given
         * database is checked and emptied: those wait until a shadow is needed.
         */
        default boolean onTargetServer() {
            return false;
        }
    }

    /**
     * What {@link #open} asks the target (whether its role may create databases), answered now on
     * {@code targetConn}; the rest is returned, to run beside other work: it uses connections of its own.
     */
    public static Opening prepare(DatabaseUrl targetUrl, Connection targetConn, DatabaseUrl given, Path embeddedHome,
                                  boolean supabaseBase, Consumer<String> notices) throws SQLException {
        if (given != null) {
            return () -> given(targetUrl, given, notices);
        }
        String why = !targetUrl.isLocal() ? targetUrl.host() + " is not this machine"
                : canCreateDatabases(targetConn) ? null : "the role may not create databases (it lacks CREATEDB)";
        if (why == null) {
            return new Opening() {
                @Override
                public Shadow open() throws SQLException {
                    return made(targetUrl, "on " + targetUrl.address(), null, supabaseBase, notices);
                }

                @Override
                public boolean onTargetServer() {
                    return true;
                }
            };
        }
        return () -> {
            EmbeddedServer server = EmbeddedServer.start(embeddedHome);
            try {
                return made(server.url(), "on the embedded PostgreSQL (" + why + "; pass --shadow-url to choose one)",
                        server, supabaseBase, notices);
            } catch (RuntimeException | SQLException e) {
                server.close();
                throw e;
            }
        };
    }

    private static Shadow made(DatabaseUrl server, String where, EmbeddedServer embedded, boolean supabaseBase,
                               Consumer<String> notices) throws SQLException {
        byte[] random = new byte[6];
        new SecureRandom().nextBytes(random);
        String name = PREFIX + HexFormat.of().formatHex(random);
        try (Connection admin = Database.connect(server); Statement st = admin.createStatement()) {
            dropLeftovers(admin, notices);
            // template0: nothing an administrator added to template1 may pass for what the migrations made.
            st.execute("CREATE DATABASE " + name + " TEMPLATE template0");
            Shadow shadow = new Shadow(name + " " + where, server.withDatabase(name), server, embedded, notices);
            try {
                st.execute("COMMENT ON DATABASE " + name + " IS 'pgshift shadow database, pid "
                        + ProcessHandle.current().pid() + "'");
                // Its sessions commit without waiting for the WAL to reach the disk. Safe for a database
                // pgshift made and drops: a crash of the server could lose only its last commits, and
                // nothing outlives the command (a leftover is dropped by the next one); every other
                // database keeps its durability. The database's own default, so the RESET ALL after a
                // file that changed its session keeps it, and no pooler in between sees a startup option.
                // Measured with bench/run.sh dryrun's files (paired runs): on a server with fsync on,
                // dry-run took a median 6.5 s against 8.5 s without it (the rehearsal's 500 commits,
                // 2.8 s against 4.1 s); with fsync off, as the benchmark runs, no gain shows.
                st.execute("ALTER DATABASE " + name + " SET synchronous_commit = off");
                if (supabaseBase) { // what a Supabase project's migrations refer to, as in every database pgshift makes
                    try (Connection conn = Database.connect(server.withDatabase(name))) {
                        pgshift.db.SupabaseBase.install(conn);
                    }
                }
            } catch (SQLException | RuntimeException e) {
                shadow.close();
                throw e;
            }
            return shadow;
        }
    }

    /**
     * Drops the shadows of pgshift processes that are gone (ended by kill -9) and that no session
     * uses: made shadows are only ever on this machine's servers, so their pid can be looked up.
     */
    private static void dropLeftovers(Connection admin, Consumer<String> notices) throws SQLException {
        List<String> gone = new java.util.ArrayList<>();
        try (Statement st = admin.createStatement(); var rs = st.executeQuery("SELECT d.datname, "
                + "substring(shobj_description(d.oid, 'pg_database') from 'pgshift shadow database, pid ([0-9]+)') "
                + "FROM pg_database d WHERE d.datname LIKE 'pgshift\\_shadow\\_%' AND NOT EXISTS "
                + "(SELECT 1 FROM pg_stat_activity a WHERE a.datname = d.datname)")) {
            while (rs.next()) {
                String pid = rs.getString(2);
                if (pid != null && ProcessHandle.of(Long.parseLong(pid)).map(p -> !p.isAlive()).orElse(true)) {
                    gone.add(rs.getString(1));
                }
            }
        }
        for (String name : gone) {
            try (Statement st = admin.createStatement()) {
                st.execute("DROP DATABASE IF EXISTS " + name);
                notices.accept("Dropped " + name + ", the shadow database of a pgshift that ended without dropping it.");
            } catch (SQLException e) {
                notices.accept("Could not drop " + name + ", a shadow database left behind (" + e.getMessage() + ").");
            }
        }
    }

    private static Shadow given(DatabaseUrl targetUrl, DatabaseUrl given, Consumer<String> notices) throws SQLException {
        if (given.address().equals(targetUrl.address()) && given.database().equals(targetUrl.database())) {
            throw PgshiftException.usage("The shadow database " + given.masked() + " is the target database: pgshift "
                    + "replays migrations into the shadow and empties it, so it must be another, empty database. "
                    + "Give another with --shadow-url or SHADOW_DATABASE_URL, or neither to let pgshift make one.");
        }
        try (Connection conn = Database.connect(given)) {
            List<String> found = SchemaSnapshot.take(conn, Set.of()).objects().values().stream()
                    .filter(o -> !isPublic(o.key()) && !(isPublic(o.parent())
                            && (o.key().kind().equals("grant") || o.key().kind().equals("comment"))))
                    .map(o -> o.key().kind() + " " + o.key().qualified()).toList();
            if (!found.isEmpty()) {
                throw PgshiftException.usage("The shadow database " + given.masked() + " is not empty: it holds "
                        + found.size() + " object(s) (" + String.join(", ", found.subList(0, Math.min(5, found.size())))
                        + (found.size() > 5 ? ", ..." : "") + "). pgshift replays migrations into it and empties it "
                        + "afterwards, so it must start empty: give an empty database, or none to let pgshift make one.");
            }
        }
        return new Shadow(given.database() + " on " + given.address() + " (given)", given, null, null, notices);
    }

    /** The schema public, which an empty database has (its grants and comment are the server's). */
    private static boolean isPublic(SchemaObject.Key key) {
        return key != null && key.kind().equals("schema") && key.name().equals("public");
    }

    private static boolean canCreateDatabases(Connection conn) throws SQLException {
        try (Statement st = conn.createStatement(); var rs = st.executeQuery(
                "SELECT rolsuper OR rolcreatedb FROM pg_roles WHERE rolname = current_user")) {
            return rs.next() && rs.getBoolean(1);
        }
    }

    /** Its name and where it is, for messages. */
    public String describe() {
        return described;
    }

    public DatabaseUrl url() {
        return url;
    }

    /**
     * Applies the given versions that the shadow does not hold yet, in run order, through the
     * migration runner; called again with more versions, it goes on from where it is.
     *
     * @return how many files ran
     */
    public int replay(Planner planner, MigrationFolder.Scan scan, Set<String> versions, MigrationListener listener,
                      Duration lockTimeout, Function<PlanEntry, String> display) throws SQLException {
        return replay(planner, scan, versions, Set.of(), listener, lockTimeout, display);
    }

    /**
     * The same, the files in {@code asApply} applied each in a transaction of its own, exactly as
     * apply runs them (dry-run's rehearsal); the others may share transactions, up to 50 files in
     * one (see {@link Migrator.Request#together}), which the shadow's result does not show: a group
     * that fails runs again one by one, and the ledger rows are the same.
     */
    public int replay(Planner planner, MigrationFolder.Scan scan, Set<String> versions, Set<String> asApply,
                      MigrationListener listener, Duration lockTimeout, Function<PlanEntry, String> display)
            throws SQLException {
        Database db = target.database();
        try (Connection conn = db.connection()) {
            Migrator migrator = new Migrator(conn, planner, listener, () -> db.wasCancelled(conn),
                    Migrator.Settings.of(target, LockWaitWatch.DEFAULT_TIMEOUT));
            return migrator.run(new Migrator.Request(Migrator.Mode.APPLY, plan -> plan.entries().stream()
                    .filter(e -> e.hasFile() && !e.isApplied() && versions.contains(e.version())).toList(),
                    lockTimeout, display, e -> !asApply.contains(e.version())), scan).done();
        }
    }

    /** The shadow's schema now; see {@link SchemaSnapshot#take}. */
    public SchemaSnapshot snapshot(Set<String> only) throws SQLException {
        try (Connection conn = target.database().connection()) {
            return SchemaSnapshot.take(conn, only);
        }
    }

    /** Cancels what runs on the shadow (Ctrl-C); false when nothing did. */
    public boolean cancelRunning() {
        return target.cancelRunning();
    }

    /** Drops the shadow (empties a given one); says on the notices what it could not do, and how to do it by hand. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (Thread.currentThread() != hook) {
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException e) {
                // Shutting down: the hook runs this again and finds it done.
            }
        }
        boolean interrupted = Thread.interrupted(); // a Ctrl-C's interrupt must not stop the cleanup
        try {
            // The shell interrupts just after it cancels, so the interrupt may land during the cleanup's
            // connect (pgjdbc waits for a connect with loginTimeout interruptibly): then once more.
            for (int attempt = 1; !(dropFrom != null ? drop(attempt) : empty(attempt)); attempt++) {
                interrupted = true;
            }
        } finally {
            if (embedded != null) {
                embedded.close();
            }
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** True when done or given up; false to try again after an interrupt cut the attempt short. */
    private boolean drop(int attempt) {
        String name = url.database();
        try (Connection admin = Database.connect(dropFrom); Statement st = admin.createStatement()) {
            boolean force = admin.getMetaData().getDatabaseMajorVersion() >= 13;
            if (!force) {
                st.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '" + name + "'");
            }
            st.execute("DROP DATABASE IF EXISTS " + name + (force ? " WITH (FORCE)" : ""));
        } catch (SQLException e) {
            if (attempt == 1 && Thread.interrupted()) {
                return false;
            }
            notices.accept("Could not drop the shadow database " + name + " (" + e.getMessage() + "); drop it with "
                    + "DROP DATABASE " + name + ";");
        }
        return true;
    }

    private boolean empty(int attempt) {
        try (Connection conn = Database.connect(url)) {
            SupabaseStack.clear(conn);
        } catch (SQLException e) {
            if (attempt == 1 && Thread.interrupted()) {
                return false;
            }
            notices.accept("Could not empty the shadow database " + url.masked() + " (" + e.getMessage() + "); it must be "
                    + "empty before the next use: drop and create it again.");
        }
        return true;
    }
}
