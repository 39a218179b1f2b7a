package pgshift.command;

import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
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

    private Settings settings;
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
            database = shared ? Database.pooled(url, source, console::notice) : Database.open(url, source);
        }
        return database;
    }

    /**
     * Switches to another database (the shell's {@code connect}); the current one stays in use
     * when the new one cannot be reached.
     */
    public synchronized void connect(DatabaseUrl url) {
        Database next = shared ? Database.pooled(url, "connect", console::notice) : Database.open(url, "connect");
        try (Connection probe = next.connection()) {
            // reachable: the connection goes back to the new pool for the next command
        } catch (java.sql.SQLException e) {
            throw pgshift.PgshiftException.config("Cannot connect to " + url.masked() + ": " + e.getMessage(), e);
        }
        if (database != null) {
            database.close();
        }
        database = next;
        settings = new Settings(url, "connect", settings.migrationsDir());
    }

    /** Cancels the statement the given thread's command is running, if any (Ctrl-C in the shell). */
    public boolean cancelRunning(Thread owner) {
        Database db;
        synchronized (this) {
            db = database;
        }
        return db != null && db.cancelRunning(owner);
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

    /** A folder scan and a new connection, made at the same time. */
    public record Connected(MigrationFolder.Scan scan, Connection connection) {
    }

    /**
     * Scans the folder on another thread while connecting: with 10,000 files each takes about a
     * tenth of a second. Errors come in the order of {@link #scan()} then connecting: a missing
     * folder fails before any server starts, a broken one wins over a connection error. The
     * caller closes the connection.
     */
    public Connected scanAndConnect() throws java.sql.SQLException {
        MigrationFolder.requireExists(folder());
        FutureTask<MigrationFolder.Scan> scanning = inBackground("pgshift-scan", () -> MigrationFolder.scan(folder()));
        Connection conn;
        try {
            conn = database().connection();
        } catch (RuntimeException e) {
            await(scanning);
            throw e;
        }
        try {
            MigrationFolder.Scan scan = await(scanning);
            scan.warnings().forEach(console::warn);
            return new Connected(scan, conn);
        } catch (java.sql.SQLException | RuntimeException | Error e) {
            conn.close();
            throw e;
        }
    }

    /** Files versus ledger, as of now, on the given connection. */
    public Plan plan(Connection conn, MigrationFolder.Scan scan) throws java.sql.SQLException {
        // The server reads and digests the ledger while the digest cache is checked here: with
        // 10,000 files each side takes a good part of status's time.
        FutureTask<List<LedgerRow>> ledger = inBackground("pgshift-ledger", () -> History.read(conn));
        DigestCache cache = DigestCache.load(digestCache(), Version.build());
        Map<String, String> digests = new ConcurrentHashMap<>();
        scan.files().parallelStream().forEach(f -> {
            String digest = cache.cached(f);
            if (digest != null) {
                digests.put(f.version(), digest);
            }
        });
        List<LedgerRow> rows = await(ledger);
        Set<String> recorded = new HashSet<>();
        rows.forEach(r -> recorded.add(r.version()));
        // Only applied files need a digest (to detect edits): the ones not cached are split on every core.
        scan.files().parallelStream().filter(f -> recorded.contains(f.version()) && !digests.containsKey(f.version()))
                .forEach(f -> digests.put(f.version(), cache.digest(f)));
        cache.save();
        // Plan asks for statements only where digests differ: rare, so one query each.
        return Plan.build(scan.files(), rows, f -> digests.get(f.version()), f -> MigrationScript.load(f).texts(),
                version -> recorded(conn, version));
    }

    private Path digestCache() {
        return workingDir.resolve(".pgshift/digests.tsv");
    }

    /** Forgets every cached file digest, so the next plan reads every applied file again. */
    public void forgetDigests() {
        try {
            java.nio.file.Files.deleteIfExists(digestCache());
        } catch (java.io.IOException e) {
            throw pgshift.PgshiftException.config("Cannot delete " + display(digestCache()) + ": " + e.getMessage(), e);
        }
    }

    private static <T> FutureTask<T> inBackground(String name, Callable<T> work) {
        FutureTask<T> task = new FutureTask<>(work);
        Thread thread = new Thread(task, name);
        thread.setDaemon(true);
        thread.start();
        return task;
    }

    private static <T> T await(FutureTask<T> task) throws java.sql.SQLException {
        try {
            return task.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw pgshift.PgshiftException.config("Interrupted.", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof java.sql.SQLException s) {
                throw s;
            }
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            if (e.getCause() instanceof Error err) {
                throw err;
            }
            throw new IllegalStateException(e.getCause());
        }
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

    /** Stops what this context started: kept connections and the embedded server, if any. */
    public synchronized void release() {
        if (database != null) {
            database.close();
        }
        if (embedded != null) {
            embedded.close();
        }
    }
}
