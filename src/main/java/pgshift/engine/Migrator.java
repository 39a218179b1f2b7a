package pgshift.engine;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.Supplier;

import pgshift.failure.PgshiftException;
import pgshift.db.Executor;
import pgshift.db.History;
import pgshift.db.MigrationLock;
import pgshift.db.Rehearsal;
import pgshift.migration.MigrationFolder;
import pgshift.migration.MigrationScript;
import pgshift.migration.MigrationState;
import pgshift.migration.Plan;
import pgshift.migration.ScriptStream;
import pgshift.migration.PlanEntry;

/**
 * The one migration runner: takes the migration lock, plans files against the ledger, selects
 * what to run, then runs each file through the {@link Executor} (or rehearses them all), and
 * reports through a {@link MigrationListener}. apply, dry-run and watch all run through it.
 */
public final class Migrator {

    /** Scripts kept between the check and the run, in characters: a few 50 MB seed files fit in -Xmx256m. */
    private static final long KEEP_CHARS = 64L << 20;

    /** Run for real, or rehearse in one transaction that is rolled back (dry-run). */
    public enum Mode { APPLY, REHEARSE }

    /**
     * @param select    the entries to run, in order, from the plan; a MODIFIED entry is applied again
     * @param display   how a file is named in messages (relative to the working folder)
     * @param together  the entries that may share a transaction with their neighbours that may too
     *                  (a replay into a shadow, or into a database reset or rewound, where only the
     *                  end result counts; see {@link SharedTransactions}); never through a pooler
     */
    public record Request(Mode mode, Function<Plan, List<PlanEntry>> select, Duration lockTimeout,
                          Function<PlanEntry, String> display, Predicate<PlanEntry> together) {

        /** Each file in a transaction of its own, as apply runs them. */
        public Request(Mode mode, Function<Plan, List<PlanEntry>> select, Duration lockTimeout,
                       Function<PlanEntry, String> display) {
            this(mode, select, lockTimeout, display, entry -> false);
        }
    }

    /** What a run did: the plan, the entries it selected, and how many ran. */
    public record Result(Plan plan, List<PlanEntry> selected, int done, long millis) {
    }

    private final Connection conn;
    private final Planner planner;
    private final MigrationListener listener;
    private final BooleanSupplier cancelled;
    private final Settings settings;

    /**
     * How a run protects itself: a second connection for watching lock waits, the table-lock
     * timeout, and whether a transaction-mode pooler is in between (then the migration lock is
     * taken per file, inside its transaction, since a session lock does not hold there).
     */
    public record Settings(Supplier<Connection> aside, Duration tableLockTimeout, boolean pooler) {

        /** The settings for a run on {@code target}: its background connections, and a pooler judged from its URL. */
        public static Settings of(pgshift.db.Target target, Duration tableLockTimeout) {
            return new Settings(target.database()::backgroundConnection, tableLockTimeout,
                    MigrationLock.transactionPooler(target.url()));
        }
    }

    /** @param cancelled true once the user asked to stop (Ctrl-C): failures then report the cancel */
    public Migrator(Connection conn, Planner planner, MigrationListener listener, BooleanSupplier cancelled,
                    Settings settings) {
        this.conn = conn;
        this.planner = planner;
        this.listener = listener;
        this.cancelled = cancelled;
        this.settings = settings;
    }

    /** Runs the request under the migration lock; throws what failed, after telling the listener. */
    public Result run(Request request, MigrationFolder.Scan scan) throws SQLException {
        boolean locked = false;
        try (MigrationLock lock = acquire(request.lockTimeout())) {
            locked = true;
            Plan plan = planner.plan(conn, scan);
            listener.planned(plan);
            List<PlanEntry> todo = request.select().apply(plan);
            if (todo.isEmpty()) {
                return new Result(plan, todo, 0, 0);
            }
            // The first file is split while it runs (see ScriptStream); it is checked once split, before its commit.
            ScriptStream first = request.mode() == Mode.APPLY
                    ? ScriptStream.split(todo.get(0).file(), script -> refuseBeforeAnythingRuns(todo.get(0), script, request))
                    : null;
            try {
                List<MigrationScript> scripts = preload(todo, request, first);
                listener.confirm(todo);
                long start = System.nanoTime();
                int done = first != null ? apply(todo, first, scripts, request) : rehearse(todo, scripts, request);
                return new Result(plan, todo, done, (System.nanoTime() - start) / 1_000_000);
            } finally {
                if (first != null) {
                    first.close();
                }
            }
        } catch (RuntimeException | SQLException e) {
            if (cancelled.getAsBoolean()) {
                throw PgshiftException.cancelled(locked
                        ? "Cancelled: the running statement was stopped on the server and its migration rolled "
                        + "back; migrations completed before it stay applied (see status)."
                        : "Cancelled while waiting for the migration lock: nothing was run.");
            }
            throw e;
        }
    }

    /**
     * What would stop a file once the run has begun, checked while nothing has changed: COMMIT or
     * ROLLBACK in a file that runs in a transaction, and through a pooler, a file that cannot.
     */
    private void refuseBeforeAnythingRuns(PlanEntry entry, MigrationScript script, Request request) {
        if (!script.runsWithoutTransaction()) {
            script.transactionalBody(request.display().apply(entry));
        } else if (settings.pooler() && request.mode() == Mode.APPLY) {
            throw PgshiftException.migration(MigrationLock.noTransactionThroughPooler(entry.file().displayName()));
        }
    }

    /** The session lock for the whole run; none through a pooler, where each file locks in its transaction. */
    private MigrationLock acquire(Duration timeout) throws SQLException {
        return settings.pooler() ? null : MigrationLock.acquire(conn, timeout, listener::waitingForLock);
    }

    /** Creates the ledger tables if needed: through a pooler in a short transaction of its own, under the lock. */
    private void ensureTables(Duration lockTimeout) throws SQLException {
        if (!settings.pooler()) {
            History.ensureTables(conn);
            return;
        }
        conn.setAutoCommit(false);
        try {
            MigrationLock.lockForFile(conn, lockTimeout, listener::waitingForLock);
            History.ensureTables(conn);
            conn.commit();
        } finally {
            if (!conn.getAutoCommit()) {
                conn.rollback();
            }
            conn.setAutoCommit(true);
        }
    }

    /**
     * Splits every file before any runs, except a {@code first} one splitting as it runs, so a broken
     * file stops the run while nothing has changed (before the first file commits, for that one).
     * Each is checked as it is split (see {@link #refuseBeforeAnythingRuns}); in run order, the first
     * refusal wins. Scripts are kept for the run while they fit {@link #KEEP_CHARS}; the rest are
     * split again when their turn comes. The list holds null for the first file when it streams.
     */
    private List<MigrationScript> preload(List<PlanEntry> todo, Request request, ScriptStream first) {
        try {
            List<MigrationScript> loaded = preload(first == null ? todo : todo.subList(1, todo.size()), request);
            if (first != null) {
                loaded.add(0, null);
            }
            return loaded;
        } catch (RuntimeException e) {
            if (first != null) {
                first.whole(); // the first file's own refusal comes first
            }
            throw e;
        }
    }

    private List<MigrationScript> preload(List<PlanEntry> todo, Request request) {
        long total = todo.stream().mapToLong(e -> e.file().path().toFile().length()).sum();
        if (total <= KEEP_CHARS) {
            List<MigrationScript> loaded = new ArrayList<>(
                    todo.parallelStream().map(e -> MigrationScript.load(e.file())).toList());
            for (int i = 0; i < todo.size(); i++) {
                refuseBeforeAnythingRuns(todo.get(i), loaded.get(i), request); // in run order: the first refusal wins
            }
            return loaded;
        }
        List<MigrationScript> loaded = new ArrayList<>();
        long chars = 0;
        for (PlanEntry entry : todo) {
            MigrationScript script = MigrationScript.load(entry.file());
            refuseBeforeAnythingRuns(entry, script, request);
            chars += script.chars();
            loaded.add(chars <= KEEP_CHARS ? script : null);
        }
        return loaded;
    }

    private int apply(List<PlanEntry> todo, ScriptStream first, List<MigrationScript> scripts, Request request)
            throws SQLException {
        ensureTables(request.lockTimeout());
        Executor executor = new Executor(conn, listener::notice, new Executor.Guards(settings.aside(),
                settings.tableLockTimeout(), settings.pooler(), request.lockTimeout()));
        conn.setAutoCommit(false); // one mode for the whole run: see Executor.applyInTransaction
        int done = 0;
        try {
            int i = 0;
            while (i < todo.size()) {
                int end = settings.pooler() ? i + 1 : SharedTransactions.end(todo, scripts, i, request.together());
                if (end - i > 1 && SharedTransactions.apply(executor, todo, scripts, i, end, listener, cancelled)) {
                    done += end - i;
                    i = end;
                    continue;
                }
                for (; i < end; i++, done++) { // a group that failed runs again one by one, as apply runs them
                    applyOne(executor, todo, first, scripts, i, request, done);
                }
            }
        } finally {
            if (!conn.isClosed()) {
                conn.setAutoCommit(true);
            }
        }
        return done;
    }

    private void applyOne(Executor executor, List<PlanEntry> todo, ScriptStream first, List<MigrationScript> scripts,
                          int i, Request request, int done) throws SQLException {
        PlanEntry entry = todo.get(i);
        ScriptStream script = i == 0 ? first : ScriptStream.of(
                scripts.get(i) != null ? scripts.get(i) : MigrationScript.load(entry.file()));
        scripts.set(i, null); // let a big script go as soon as it has run
        String display = request.display().apply(entry);
        try {
            Executor.Applied applied = entry.state() == MigrationState.MODIFIED
                    ? executor.reapply(script, display) : executor.apply(script, display);
            if (applied.skipped()) {
                listener.notice(entry.file().displayName() + " was applied by another run meanwhile; skipped.");
            } else {
                listener.applied(entry, applied);
            }
        } catch (PgshiftException e) {
            if (cancelled.getAsBoolean()) {
                throw e; // the user stopped it: run() says so, not as a failed file
            }
            listener.failed(entry);
            int notRun = todo.size() - done - 1;
            throw new PgshiftException(e.kind(), e.getMessage() + "\n" + done + " migration(s) applied before it"
                    + (notRun > 0 ? "; " + notRun + " later migration(s) not run." : "."), e);
        }
    }

    private int rehearse(List<PlanEntry> todo, List<MigrationScript> scripts, Request request) throws SQLException {
        int done = 0;
        try (Rehearsal rehearsal = new Rehearsal(conn)) {
            if (settings.pooler()) {
                MigrationLock.lockForFile(conn, request.lockTimeout(), listener::waitingForLock); // for the whole rehearsal
            }
            History.ensureTables(conn); // inside the rehearsal: rolled back with it
            for (int i = 0; i < todo.size(); i++) {
                PlanEntry entry = todo.get(i);
                MigrationScript script = scripts.get(i) != null ? scripts.get(i) : MigrationScript.load(entry.file());
                Rehearsal.Outcome outcome = rehearsal.rehearse(script, request.display().apply(entry));
                listener.rehearsed(entry, outcome);
                if (outcome.failed()) {
                    return done;
                }
                done++;
            }
        }
        return done;
    }
}
