package pgshift.watch;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

import pgshift.PgshiftException;
import pgshift.command.Context;
import pgshift.db.Executor;
import pgshift.db.History;
import pgshift.db.MigrationLock;
import pgshift.migration.MigrationFile;
import pgshift.migration.MigrationFolder;
import pgshift.migration.MigrationState;
import pgshift.migration.Plan;
import pgshift.migration.PlanEntry;

/**
 * One pass of a watch: compares the folder with the ledger under the migration lock and acts:
 * applies pending files in version order, stops at a failure until that file is saved again, and
 * warns once about what it will not run. Used by one thread at a time.
 */
final class Reconciler {

    private final Context ctx;
    private final WatchOptions options;
    private final WatchListener listener;
    private final Predicate<Path> settled;
    /** Warnings given and still true, by key: a warning is repeated only after its cause went away and came back. */
    private Set<String> warned = new HashSet<>();
    private String blockedOn;
    private int applied;
    private volatile Connection working;

    /** @param settled whether a file can be read whole now (see {@link FolderWatcher#isSettled}) */
    Reconciler(Context ctx, WatchOptions options, WatchListener listener, Predicate<Path> settled) {
        this.ctx = ctx;
        this.options = options;
        this.listener = listener;
        this.settled = settled;
    }

    String blockedOn() {
        return blockedOn;
    }

    int applied() {
        return applied;
    }

    /** @param changed names of the files that changed since the last pass (none for the first) */
    void pass(Set<String> changed) throws SQLException {
        MigrationFolder.Scan scan = MigrationFolder.scan(ctx.folder());
        try (Connection conn = ctx.database().connection()) {
            working = conn;
            // No word while waiting: the holder is mostly the user's own apply; a real hold-up ends in
            // the timeout's error, which names the holder.
            try (MigrationLock lock = MigrationLock.acquire(conn, options.lockTimeout(), holder -> { })) {
                // Planned under the lock: a typed apply that just finished is seen, so nothing runs twice.
                Plan plan = ctx.plan(conn, scan);
                Map<String, String> warnings = new LinkedHashMap<>();
                scan.warnings().forEach(w -> warnings.put(w, w));
                handleDrift(conn, plan, changed, warnings);
                warnOnce(warnings);
                applyPending(conn, plan, changed);
            }
        } finally {
            working = null;
        }
    }

    private void handleDrift(Connection conn, Plan plan, Set<String> changed, Map<String, String> warnings)
            throws SQLException {
        String newest = plan.entries().stream().filter(PlanEntry::isApplied).map(PlanEntry::version)
                .max(MigrationFile.VERSION_ORDER).orElse("?");
        for (PlanEntry e : plan.entries()) {
            switch (e.state()) {
                case MODIFIED -> {
                    if (options.onEdit() == OnEdit.REAPPLY && changed.contains(e.file().fileName())) {
                        if (!settled.test(e.file().path())) {
                            warnings.put("modified " + e.version(), null); // still being written: a pass follows
                        } else if (!reapply(conn, e)) {
                            warnings.put("modified " + e.version(), null); // the error said it all
                        }
                    } else {
                        warnings.put("modified " + e.version(), e.file().fileName() + " was edited after it was "
                                + "applied (state modified); nothing was run. See what changed with: show " + e.version()
                                + (options.onEdit() == OnEdit.WARN ? " (watch --on-edit reapply re-runs edited files)."
                                        : "; saving it again re-applies it."));
                    }
                }
                case MISSING -> warnings.put("missing " + e.version(), "migration " + e.version()
                        + (e.name().isEmpty() ? "" : "_" + e.name()) + " is applied but its file is gone (state "
                        + "missing); nothing was run, the database keeps it.");
                case OUT_OF_ORDER -> warnings.put("out-of-order " + e.version(), e.file().fileName()
                        + " is older than the newest applied migration (" + newest + "), so watch does not apply it "
                        + "(state out-of-order). To apply it anyway: pgshift apply " + e.version() + " --include-all");
                default -> {
                }
            }
        }
    }

    private boolean reapply(Connection conn, PlanEntry e) throws SQLException {
        try {
            Executor.Applied done = Reapply.run(conn, e.file(), ctx.display(e.file()), listener::info);
            applied++;
            listener.info("re-applied " + e.file().fileName() + " (" + done.statements() + " statement(s), "
                    + done.millis() + " ms)");
            return true;
        } catch (PgshiftException failure) {
            if (failure.kind() != PgshiftException.Kind.MIGRATION) {
                throw failure;
            }
            listener.error(failure.getMessage() + "\nThe ledger keeps the version of " + e.file().fileName()
                    + " applied before; save it again to retry.");
            return false;
        }
    }

    private void warnOnce(Map<String, String> warnings) {
        warnings.forEach((key, message) -> {
            if (message != null && !warned.contains(key)) {
                listener.warning(message);
            }
        });
        warned = new HashSet<>(warnings.keySet());
    }

    private void applyPending(Connection conn, Plan plan, Set<String> changed) throws SQLException {
        if (blockedOn != null) {
            PlanEntry blocked = plan.entries().stream().filter(e -> e.version().equals(blockedOn)).findFirst().orElse(null);
            boolean stillWaiting = blocked != null && blocked.state() == MigrationState.PENDING
                    && !changed.contains(blocked.file().fileName());
            if (stillWaiting) {
                return;
            }
            blockedOn = null;
        }
        List<PlanEntry> pending = plan.inState(MigrationState.PENDING);
        if (pending.isEmpty()) {
            return;
        }
        History.ensureTables(conn);
        Executor executor = new Executor(conn, listener::info);
        for (PlanEntry e : pending) {
            if (!settled.test(e.file().path())) {
                return; // being written: it and the files after it wait for the pass its settling brings
            }
            try {
                Executor.Applied done = executor.apply(e.file(), ctx.display(e.file()));
                applied++;
                listener.info("applied " + e.file().fileName() + " (" + done.statements() + " statement(s), "
                        + done.millis() + " ms)");
            } catch (PgshiftException failure) {
                if (failure.kind() != PgshiftException.Kind.MIGRATION) {
                    throw failure;
                }
                blockedOn = e.version();
                int waiting = pending.size() - pending.indexOf(e) - 1;
                listener.error(failure.getMessage() + "\nwatch: blocked on " + e.version()
                        + (waiting > 0 ? "; " + waiting + " later file(s) wait" : "")
                        + ". Save " + e.file().fileName() + " again to retry.");
                return;
            }
        }
    }

    /** Asks the server to cancel what this pass is running (stopping a watch in the middle of a long file). */
    void cancel() {
        Connection conn = working;
        if (conn == null) {
            return;
        }
        try {
            conn.unwrap(org.postgresql.PGConnection.class).cancelQuery();
        } catch (SQLException e) {
            // Nothing is running any more, or the connection is gone: either way the pass ends.
        }
    }

    static Set<String> names(Set<Path> paths) {
        Set<String> names = new HashSet<>();
        paths.forEach(p -> names.add(p.getFileName().toString()));
        return names;
    }
}
