package pgshift.command;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;

import pgshift.config.DatabaseUrl;
import pgshift.config.Project;
import pgshift.config.Settings;
import pgshift.console.Console;
import pgshift.db.Database;
import pgshift.db.Target;
import pgshift.engine.MigrationListener;
import pgshift.engine.Migrator;
import pgshift.engine.Planner;
import pgshift.migration.DigestCache;
import pgshift.migration.MigrationFile;
import pgshift.migration.MigrationFolder;
import pgshift.migration.Plan;

/**
 * What a command runs with: the {@link Target} database, the {@link Planner} for the migrations
 * folder, and the console with paths shown as the user would type them.
 */
public final class Context implements AutoCloseable {

    private final Console console;
    private final Path workingDir;
    private final boolean shared;
    private final Target target;
    private final Path embeddedHome;
    private final Planner planner;
    private final java.util.List<java.util.function.BooleanSupplier> alsoCancelled =
            new java.util.concurrent.CopyOnWriteArrayList<>();

    public Context(Settings settings, Console console, Path workingDir) {
        this(settings, console, workingDir, false);
    }

    private Context(Settings settings, Console console, Path workingDir, boolean shared) {
        this.console = console;
        this.workingDir = workingDir;
        this.shared = shared;
        // One embedded database per project: at its root, whichever of its folders the run starts in.
        Project project = settings.project() != null ? settings.project() : new Project(workingDir, null);
        String elsewhere = project.notice(workingDir);
        if (elsewhere != null) {
            console.notice(elsewhere);
        }
        Path home = project.home();
        this.embeddedHome = home;
        this.target = new Target(settings.databaseUrl(), settings.databaseUrlSource(), home, display(home),
                console::notice, project.supabaseLayout());
        this.planner = new Planner(settings.migrationsDir(),
                DigestCache.locationFor(settings.migrationsDir(), System.getenv()), Version.build());
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

    /** Where the project's embedded PostgreSQL keeps its data (.pgshift/ at the project's root). */
    public Path embeddedHome() {
        return embeddedHome;
    }

    public Target target() {
        return target;
    }

    public Planner planner() {
        return planner;
    }

    public Path folder() {
        return planner.folder();
    }

    /** The folder pgshift runs in, which relative paths on the command line start from. */
    public Path workingDir() {
        return workingDir;
    }

    public Database database() {
        return target.database();
    }

    public DatabaseUrl url() {
        return target.url();
    }

    /** Switches to another database (the shell's connect); the current one stays when the new one cannot be reached. */
    public void connect(DatabaseUrl url) {
        target.switchTo(url);
    }

    /** Cancels the statements commands are running (Ctrl-C, SIGTERM); false when none had a connection open. */
    public boolean cancelRunning() {
        boolean any = target.cancelRunning();
        for (java.util.function.BooleanSupplier other : alsoCancelled) {
            any |= other.getAsBoolean();
        }
        return any;
    }

    /**
     * Has {@link #cancelRunning()} also cancel what runs on another database (a shadow database's
     * replay) until the returned handle is closed.
     */
    public AutoCloseable alsoCancel(java.util.function.BooleanSupplier cancel) {
        alsoCancelled.add(cancel);
        return () -> alsoCancelled.remove(cancel);
    }

    /** Scans the folder, printing a warning for each skipped file. */
    public MigrationFolder.Scan scan() {
        MigrationFolder.Scan scan = planner.scan();
        scan.warnings().forEach(console::warn);
        return scan;
    }

    /** A folder scan and a new connection, made at the same time (see {@link Planner#scanAndConnect}). */
    public Planner.Connected scanAndConnect() throws SQLException {
        Planner.Connected connected = planner.scanAndConnect(() -> database().connection());
        connected.scan().warnings().forEach(console::warn);
        return connected;
    }

    /** Files versus ledger, as of now, on the given connection. */
    public Plan plan(Connection conn, MigrationFolder.Scan scan) throws SQLException {
        return planner.plan(conn, scan);
    }

    /**
     * The migration lock for commands that change the ledger without the runner (mark-applied,
     * mark-reverted): a session lock; none through a transaction-mode pooler, where it would not
     * hold: there {@link #ledgerChange} takes it inside the change's transaction.
     */
    public pgshift.db.MigrationLock lock(Connection conn, java.time.Duration timeout) throws SQLException {
        return throughPooler() ? null : pgshift.db.MigrationLock.acquire(conn, timeout, console::notice);
    }

    /** Changes the ledger in one transaction, holding the migration lock in it through a pooler. */
    public <T> T ledgerChange(Connection conn, java.time.Duration timeout, pgshift.db.Transactions.Work<T> work)
            throws SQLException {
        return pgshift.db.Transactions.run(conn, () -> {
            if (throughPooler()) {
                pgshift.db.MigrationLock.lockForFile(conn, timeout, console::notice);
            }
            return work.run();
        });
    }

    private boolean throughPooler() {
        return pgshift.db.MigrationLock.transactionPooler(url());
    }

    /** The migration runner on a command's connection; it reports a Ctrl-C as a cancel. */
    public Migrator migrator(Connection conn, MigrationListener listener, java.time.Duration tableLockTimeout) {
        Database db = database();
        return new Migrator(conn, planner, listener, () -> db.wasCancelled(conn),
                Migrator.Settings.of(target, tableLockTimeout));
    }

    /** A path as the user would type it: relative to the working folder when inside it. */
    public String display(Path path) {
        Path abs = path.toAbsolutePath().normalize();
        Path base = workingDir.toAbsolutePath().normalize();
        // Escaped: a file name may hold control characters that would otherwise reach the terminal.
        return MigrationFile.printable(abs.startsWith(base) ? base.relativize(abs).toString() : abs.toString());
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
        target.close();
    }
}
