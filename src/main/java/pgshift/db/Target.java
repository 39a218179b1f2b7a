package pgshift.db;

import java.nio.file.Path;
import java.util.function.Consumer;

import pgshift.failure.PgshiftException;
import pgshift.config.DatabaseUrl;

/**
 * The database commands run against: the configured URL, or else the embedded server, started on
 * first use and stopped by {@link #close()}.
 */
public final class Target implements AutoCloseable {

    private DatabaseUrl configured;
    private String source;
    private final Path embeddedHome;
    private final String embeddedHomeShown;
    private final Consumer<String> notices;
    private final boolean supabaseLayout;
    private EmbeddedServer embedded;
    private Database database;
    private volatile boolean startInterrupted;

    /**
     * @param configured   the URL from flags or environment; null for the embedded server
     * @param source       where it came from, for connection errors
     * @param embeddedHome where the embedded server keeps its data (.pgshift/), and how to show it
     */
    public Target(DatabaseUrl configured, String source, Path embeddedHome, String embeddedHomeShown,
                  Consumer<String> notices) {
        this(configured, source, embeddedHome, embeddedHomeShown, notices, false);
    }

    /**
     * @param supabaseLayout whether the project is a Supabase one: the embedded database then gets
     *                       the {@link SupabaseBase} before its first command
     */
    public Target(DatabaseUrl configured, String source, Path embeddedHome, String embeddedHomeShown,
                  Consumer<String> notices, boolean supabaseLayout) {
        this.configured = configured;
        this.source = source;
        this.embeddedHome = embeddedHome;
        this.embeddedHomeShown = embeddedHomeShown;
        this.notices = notices;
        this.supabaseLayout = supabaseLayout;
    }

    /** The database; starts the embedded server the first time when no URL is configured. */
    public synchronized Database database() {
        if (database == null) {
            DatabaseUrl url = configured;
            String from = source;
            if (url == null) {
                notices.accept("No DATABASE_URL configured: using the embedded PostgreSQL in " + embeddedHomeShown
                        + " (set DATABASE_URL, or pass --database-url, to use your own database).");
                embedded = EmbeddedServer.start(embeddedHome, notices);
                url = embedded.url();
                from = "the embedded server";
            }
            Database db = new Database(url, from, notices);
            if (embedded != null && supabaseLayout) {
                installSupabaseBase(db); // before any command sees the database, retried until it worked
            }
            database = db;
        }
        return database;
    }

    /** The Supabase base, once, in the embedded database: pgshift created it, so nothing of the user's is touched. */
    private void installSupabaseBase(Database db) {
        try (java.sql.Connection conn = db.backgroundConnection()) {
            if (!SupabaseBase.installed(conn)) {
                SupabaseBase.install(conn);
                notices.accept("Supabase project: gave the embedded database what Supabase's migrations expect (roles "
                        + "anon, authenticated, service_role; schemas auth, storage, extensions; publication "
                        + "supabase_realtime).");
            }
        } catch (java.sql.SQLException e) {
            throw PgshiftException.config("Cannot create the Supabase base (roles, auth and storage schemas) in the "
                    + "embedded database " + embeddedHomeShown + ": " + e.getMessage() + ". Run the command again; "
                    + "if it fails the same way, point DATABASE_URL at a Supabase local stack (supabase start).", e);
        }
    }

    public DatabaseUrl url() {
        return database().url();
    }

    /**
     * Whether the project is a Supabase one: a database pgshift makes (the embedded one, one that
     * reset or a rewind creates again) gets the {@link SupabaseBase} before any migration.
     */
    public boolean supabaseLayout() {
        return supabaseLayout;
    }

    /** True when no URL is configured: commands run on the embedded server. */
    public boolean isEmbedded() {
        return configured == null;
    }

    /**
     * Switches to another database (the shell's connect); the current one stays when the new one
     * cannot be reached.
     */
    public synchronized void switchTo(DatabaseUrl url) {
        Database next = new Database(url, "connect", notices);
        try (java.sql.Connection probe = next.connection()) {
            // reachable
        } catch (java.sql.SQLException e) {
            throw PgshiftException.config("Cannot connect to " + url.masked() + ": " + e.getMessage(), e);
        }
        database = next;
        configured = url;
        source = "connect";
    }

    /** Cancels what commands are running on the server (Ctrl-C, SIGTERM); false when nothing was. */
    public boolean cancelRunning() {
        Database db;
        synchronized (this) {
            db = database;
        }
        boolean cancelled = db != null && db.cancelRunning();
        if (!cancelled) {
            // Stopped while starting up (the embedded server, the first connection): the server stays
            // up for the next command, which was why the user waited for it.
            startInterrupted = true;
        }
        return cancelled;
    }

    /**
     * Done with the embedded server: stopped when no other pgshift uses it, unless a Ctrl-C came
     * while it was starting (it is then left running for the next command).
     */
    @Override
    public synchronized void close() {
        if (embedded != null) {
            if (startInterrupted) {
                embedded.leave();
            } else {
                embedded.close();
            }
            embedded = null;
        }
    }
}
