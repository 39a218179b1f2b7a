package pgshift.engine;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;

import pgshift.PgshiftException;
import pgshift.db.History;
import pgshift.migration.LedgerRow;
import pgshift.migration.MigrationFolder;
import pgshift.migration.MigrationScript;
import pgshift.migration.Plan;
import pgshift.migration.StatementsDigest;

/**
 * Reads the migrations folder and the ledger and compares them: the {@link Plan}. Every applied
 * file is read and split again each time, so an edit is always seen, whatever its size and time.
 */
public final class Planner {

    private final Path folder;

    public Planner(Path folder) {
        this.folder = folder;
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
        List<LedgerRow> rows = History.read(conn);
        Set<String> recorded = new HashSet<>();
        rows.forEach(r -> {
            if (r.statementsDigest() != null) {
                recorded.add(r.version());
            }
        });
        // Only applied files need a digest (to detect edits); they are split on every core.
        Map<String, String> digests = new ConcurrentHashMap<>();
        scan.files().parallelStream().filter(f -> recorded.contains(f.version()))
                .forEach(f -> digests.put(f.version(), StatementsDigest.of(MigrationScript.load(f).texts())));
        // Plan asks for statements only where digests differ: rare, so one query each.
        return Plan.build(scan.files(), rows, f -> digests.get(f.version()), f -> MigrationScript.load(f).texts(),
                version -> recorded(conn, version));
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
            throw PgshiftException.cancelled("Interrupted while reading the migrations folder.");
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
