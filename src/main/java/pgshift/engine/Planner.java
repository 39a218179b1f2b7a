package pgshift.engine;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.function.Predicate;

import pgshift.failure.PgshiftException;
import pgshift.db.History;
import pgshift.migration.DigestCache;
import pgshift.migration.Drafts;
import pgshift.migration.LedgerRow;
import pgshift.migration.MigrationFile;
import pgshift.migration.MigrationFolder;
import pgshift.migration.MigrationScript;
import pgshift.migration.Plan;

/**
 * Reads the migrations folder and the ledger and compares them: the {@link Plan}. Applied files
 * are compared with their ledger rows through digests, remembered in a {@link DigestCache} that
 * sees every edit.
 */
public final class Planner {

    private final Path folder;
    private final Path digestCache;
    private final String build;
    private final Predicate<MigrationFile> holdsItsLedgerRow;

    /**
     * @param digestCache where digests are remembered (see {@link DigestCache#locationFor}); null for none
     * @param build       the pgshift build, so a cache from another one is not trusted
     */
    public Planner(Path folder, Path digestCache, String build) {
        this(folder, digestCache, build, f -> false);
    }

    private Planner(Path folder, Path digestCache, String build, Predicate<MigrationFile> holdsItsLedgerRow) {
        this.folder = folder;
        this.digestCache = digestCache;
        this.build = build;
        this.holdsItsLedgerRow = holdsItsLedgerRow;
    }

    /**
     * This planner, taking the ledger row's digest as the digest of each applied file the
     * predicate accepts, without reading the file: for a caller that knows the file still holds
     * the bytes its row was recorded from (a rebuild that just ran it, see {@link Rebuild}).
     */
    public Planner trustingLedgerFor(Predicate<MigrationFile> holdsItsLedgerRow) {
        return new Planner(folder, digestCache, build, holdsItsLedgerRow);
    }

    public Path folder() {
        return folder;
    }

    /** The folder's migration files, and a warning for each file that is skipped. */
    public MigrationFolder.Scan scan() {
        return MigrationFolder.scan(folder);
    }

    /** A folder scan and a new connection, made at the same time. */
    public record Connected(MigrationFolder.Scan scan, Connection connection) {
    }

    /**
     * Scans the folder on another thread while connecting: with 10,000 files each takes about a
     * tenth of a second. A missing folder fails before any server starts; a broken folder wins
     * over a connection error. The caller closes the connection.
     */
    public Connected scanAndConnect(java.util.function.Supplier<Connection> connect) throws SQLException {
        MigrationFolder.requireExists(folder);
        FutureTask<MigrationFolder.Scan> scanning = inBackground("pgshift-scan", this::scan);
        Connection conn;
        try {
            conn = connect.get();
        } catch (RuntimeException e) {
            await(scanning);
            throw e;
        }
        try {
            return new Connected(await(scanning), conn);
        } catch (SQLException | RuntimeException | Error e) {
            conn.close();
            throw e;
        }
    }

    /** Files versus ledger, as of now, on the given connection. */
    public Plan plan(Connection conn, MigrationFolder.Scan scan) throws SQLException {
        // The server reads and digests the ledger while the cache is checked here: with 10,000
        // files each side takes a good part of status's time.
        FutureTask<List<LedgerRow>> ledger = inBackground("pgshift-ledger", () -> History.read(conn));
        DigestCache cache = DigestCache.load(digestCache, build);
        Map<String, String> digests = new ConcurrentHashMap<>();
        scan.files().parallelStream().forEach(f -> {
            String digest = cache.cached(f);
            if (digest != null) {
                digests.put(f.version(), digest);
            }
        });
        List<LedgerRow> rows = await(ledger);
        Map<String, String> recorded = new HashMap<>();
        rows.forEach(r -> {
            if (r.statementsDigest() != null) {
                recorded.put(r.version(), r.statementsDigest());
            }
        });
        // Only applied files need a digest (to detect edits): the ones not cached are split on every core.
        scan.files().parallelStream().filter(f -> recorded.containsKey(f.version()) && !digests.containsKey(f.version()))
                .forEach(f -> digests.put(f.version(),
                        holdsItsLedgerRow.test(f) ? recorded.get(f.version()) : cache.digest(f)));
        cache.save();
        // Plan asks for statements only where digests differ: rare, so one query each.
        return Plan.build(scan.files(), rows, f -> digests.get(f.version()), f -> MigrationScript.load(f).texts(),
                version -> recorded(conn, version), f -> Drafts.isDraft(f.path()));
    }

    /** Forgets every remembered digest, so the next plan reads every applied file again (the shell's rescan). */
    public void forgetDigests() {
        try {
            if (digestCache != null) {
                java.nio.file.Files.deleteIfExists(digestCache);
            }
        } catch (java.io.IOException e) {
            throw PgshiftException.config("Cannot delete " + digestCache + ": " + e.getMessage(), e);
        }
    }

    private static List<String> recorded(Connection conn, String version) {
        try {
            return History.recordedStatements(conn, List.of(version)).get(version);
        } catch (SQLException e) {
            throw PgshiftException.config("Cannot read the ledger row of " + version + ": " + e.getMessage(), e);
        }
    }

    private static <T> FutureTask<T> inBackground(String name, Callable<T> work) {
        FutureTask<T> task = new FutureTask<>(work);
        Thread thread = new Thread(task, name);
        thread.setDaemon(true);
        thread.start();
        return task;
    }

    private static <T> T await(FutureTask<T> task) throws SQLException {
        try {
            return task.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw PgshiftException.cancelled("Cancelled while reading the migrations folder and the ledger: nothing was run.");
        } catch (ExecutionException e) {
            if (e.getCause() instanceof SQLException s) {
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
}
