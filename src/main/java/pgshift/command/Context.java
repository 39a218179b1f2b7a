package pgshift.command;

import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

import pgshift.config.DatabaseUrl;
import pgshift.config.Settings;
import pgshift.console.Console;
import pgshift.db.Database;
import pgshift.db.EmbeddedServer;
import pgshift.db.History;
import pgshift.db.MigrationLock;
import pgshift.migration.DigestCache;
import pgshift.migration.LedgerRow;
import pgshift.migration.MigrationFile;
import pgshift.migration.MigrationFolder;
import pgshift.migration.MigrationScript;
import pgshift.migration.Plan;

/**
 * What a command runs against: settings, the console, the folder, and the database, opened on
 * first use (the embedded server is started only when nothing else is configured).
 */
public final class Context implements AutoCloseable {

    private final Settings settings;
    private final Console console;
    private final Path workingDir;
    private final boolean shared;
    private EmbeddedServer embedded;
    private Database database;

    public Context(Settings settings, Console console, Path workingDir) {
        this(settings, console, workingDir, false);
    }

    private Context(Settings settings, Console console, Path workingDir, boolean shared) {
        this.settings = settings;
        this.console = console;
        this.workingDir = workingDir;
        this.shared = shared;
    }

    /**
     * A context that outlives the commands run on it (the shell's): commands' close() leaves it
     * open, so the embedded server starts once; {@link #release()} ends it.
     */
    public static Context shared(Settings settings, Console console, Path workingDir) {
        return new Context(settings, console, workingDir, true);
    }

    public Console console() {
        return console;
    }

    public Path folder() {
        return settings.migrationsDir();
    }

    public synchronized Database database() {
        if (database == null) {
            DatabaseUrl url = settings.databaseUrl();
            String source = settings.databaseUrlSource();
            if (url == null) {
                Path home = workingDir.resolve(".pgshift");
                console.notice("No DATABASE_URL configured: using the embedded PostgreSQL in " + display(home)
                        + " (set DATABASE_URL, or pass --database-url, to use your own database).");
                embedded = EmbeddedServer.start(home);
                url = embedded.url();
                source = "the embedded server";
            }
            database = Database.open(url, source);
        }
        return database;
    }

    /** Cancels the statement the current command is running, if any (Ctrl-C in the shell). */
    public boolean cancelRunning() {
        Database db = database;
        return db != null && db.cancelRunning();
    }

    public DatabaseUrl url() {
        return database().url();
    }

    /** Scans the folder, printing a warning for each skipped file. */
    public MigrationFolder.Scan scan() {
        MigrationFolder.Scan scan = MigrationFolder.scan(folder());
        scan.warnings().forEach(console::warn);
        return scan;
    }

    /** Files versus ledger, as of now, on the given connection. */
    public Plan plan(Connection conn, MigrationFolder.Scan scan) throws java.sql.SQLException {
        List<LedgerRow> rows = History.read(conn);
        Set<String> recorded = new HashSet<>();
        rows.forEach(r -> recorded.add(r.version()));
        // Only applied files need a digest (to detect edits); unchanged files come from the cache,
        // the others are split on every core.
        DigestCache cache = DigestCache.load(workingDir.resolve(".pgshift/digests.tsv"), Version.build());
        Map<String, String> digests = new ConcurrentHashMap<>();
        scan.files().parallelStream().filter(f -> recorded.contains(f.version()))
                .forEach(f -> digests.put(f.version(), cache.digest(f)));
        cache.save();
        // Plan asks for statements only where digests differ: rare, so one query each.
        return Plan.build(scan.files(), rows, f -> digests.get(f.version()), f -> MigrationScript.load(f).texts(),
                version -> recorded(conn, version));
    }

    private static List<String> recorded(Connection conn, String version) {
        try {
            return History.recordedStatements(conn, List.of(version)).get(version);
        } catch (java.sql.SQLException e) {
            throw pgshift.PgshiftException.config("Cannot read the ledger row of " + version + ": " + e.getMessage(), e);
        }
    }

    public MigrationLock lock(Connection conn, Duration timeout) throws java.sql.SQLException {
        Consumer<String> waiting = console::notice;
        return MigrationLock.acquire(conn, timeout, waiting);
    }

    /** A path as the user would type it: relative to the working folder when inside it. */
    public String display(Path path) {
        Path abs = path.toAbsolutePath().normalize();
        Path base = workingDir.toAbsolutePath().normalize();
        return abs.startsWith(base) ? base.relativize(abs).toString() : abs.toString();
    }

    public String display(MigrationFile file) {
        return display(file.path());
    }

    @Override
    public void close() {
        if (!shared) {
            release();
        }
    }

    /** Stops what this context started: the embedded server, if any. */
    public void release() {
        if (embedded != null) {
            embedded.close();
        }
    }
}
