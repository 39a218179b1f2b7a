package pgshift.watch;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Predicate;

import pgshift.failure.PgshiftException;
import pgshift.db.Executor;
import pgshift.db.Snapshots;
import pgshift.db.Target;
import pgshift.engine.MigrationListener;
import pgshift.engine.Migrator;
import pgshift.engine.Planner;
import pgshift.engine.Rebuild;
import pgshift.migration.MigrationFolder;
import pgshift.migration.MigrationState;
import pgshift.migration.Plan;
import pgshift.migration.PlanEntry;

/**
 * One pass of a watch: runs the {@link Migrator} with the watch's selection (pending files in
 * order, edited ones again under --on-edit reapply), stops at a failure until that file is saved
 * again, and warns once about what it will not run. Used by one thread at a time.
 */
final class Reconciler {

    private final Target target;
    private final Planner planner;
    private final Function<Path, String> display;
    private final WatchOptions options;
    private final WatchListener listener;
    private final Predicate<Path> settled;
    /** Warnings given and still true, by key: a warning is repeated only after its cause went away and came back. */
    private Set<String> warned = new HashSet<>();
    private String blockedOn;
    private int applied;
    private volatile Connection working;
    private volatile boolean stopping;
    /** True before the first pass: it removes what a stopped watch left and keeps the state it starts from. */
    private boolean first = true;
    /** Whether edits are rewound; when they cannot be, why not (said in the edit's warning). */
    private boolean rewinding;
    private String noRewind = "";
    private boolean saidBusy;
    /** The state (see {@link Snapshots#chain}) the last rewind went back to: its snapshot gets a spare copy after the pass. */
    private String rewoundTo;
    /** The spare copy being made for the next rewind (see {@link Snapshots#makeSpare}). */
    private java.util.concurrent.CompletableFuture<Void> spare = java.util.concurrent.CompletableFuture.completedFuture(null);

    /** @param settled whether a file can be read whole now (see {@link FolderWatcher#isSettled}) */
    Reconciler(Target target, Planner planner, Function<Path, String> display, WatchOptions options,
               WatchListener listener, Predicate<Path> settled) {
        this.target = target;
        this.planner = planner;
        this.display = display;
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
        MigrationFolder.Scan scan = planner.scan();
        Report report = new Report();
        if (first && options.onEdit() == OnEdit.REWIND) {
            rewinding = rewindable();
        }
        Rebuild rebuild = rewinding ? rebuild(report) : null;
        if (rebuild != null && first) {
            int gone = rebuild.dropAllBut(Snapshots.Kind.WATCH, Set.of());
            if (gone > 0) {
                listener.info("removed " + gone + " snapshot(s) a stopped watch left behind");
            }
        }
        runMigrator(scan, changed, report, false);
        // The runner's plan saw an edited file (and ran nothing): rewind, then run what is now pending.
        boolean rewound = report.rewind && rewindEdited(rebuild, scan);
        if (rewound) {
            report.rewind = false;
            runMigrator(planner.scan(), changed, report, true);
        }
        if (rebuild != null && (first || rewound || report.ran > 0)) {
            keepSnapshot(rebuild);
        }
        if (rebuild != null) {
            rebuild.snapshots().awaitDrops();
        }
        if (rewound) {
            // The file just edited is most likely edited again: its next rewind renames a copy made meanwhile.
            spare = rebuild.snapshots().makeSpare(rewoundTo);
        }
        first = false;
    }

    /**
     * @param rewound the database was just rewound, its other sessions ended: the edited file and the
     *                later ones may share transactions (see {@link Migrator.Request#together}), as
     *                a reset's do; a group that fails runs again file by file, so a failure is
     *                reported, and the database left, as when each file runs alone
     */
    private void runMigrator(MigrationFolder.Scan scan, Set<String> changed, Report report, boolean rewound)
            throws SQLException {
        try (Connection conn = target.database().backgroundConnection()) {
            working = conn;
            // No word while waiting for the lock: the holder is mostly the user's own apply; a real
            // hold-up ends in the timeout's error, which names the holder. Planned under the lock, so
            // a typed apply that just finished is seen and nothing runs twice.
            Migrator.Settings settings = Migrator.Settings.of(target, pgshift.db.LockWaitWatch.DEFAULT_TIMEOUT);
            new Migrator(conn, planner, report, () -> stopping, settings).run(new Migrator.Request(Migrator.Mode.APPLY,
                    plan -> select(plan, changed, scan.warnings(), report), options.lockTimeout(),
                    e -> display.apply(e.file().path()), e -> rewound), scan);
        } catch (PgshiftException failure) {
            if (failure.kind() != PgshiftException.Kind.MIGRATION || report.failed == null) {
                throw failure;
            }
            // The runner's own message adds a count of later files: watch says what it does instead.
            String message = failure.getCause() instanceof PgshiftException p ? p.getMessage() : failure.getMessage();
            PlanEntry e = report.failed;
            if (e.state() == MigrationState.MODIFIED) {
                listener.error(message + "\nThe ledger keeps the version of " + e.file().displayName()
                        + " applied before; save it again to retry.");
            } else {
                blockedOn = e.version();
                int waiting = report.pendingAfter(e);
                listener.error(message + "\nwatch: blocked on " + e.version()
                        + (waiting > 0 ? "; " + waiting + " later file(s) wait" : "")
                        + ". Save " + e.file().displayName() + " again to retry.");
            }
        } finally {
            working = null;
        }
    }

    /** What this pass runs: edited files to re-apply (under reapply), then pending files up to the first unsettled one. */
    private List<PlanEntry> select(Plan plan, Set<String> changed, List<String> scanWarnings, Report report) {
        Map<String, String> warnings = new LinkedHashMap<>();
        scanWarnings.forEach(w -> warnings.put(w, w));
        List<PlanEntry> todo = new ArrayList<>();
        String newest = plan.newestApplied().orElse("?");
        // A file renamed to another zero padding of an applied version: nothing runs until it is resolved.
        plan.conflicts().forEach(c -> warnings.put("conflict " + c, c + " watch runs nothing until then."));
        for (PlanEntry e : plan.entries()) {
            if (e.state() == MigrationState.MODIFIED && rewinding) {
                if (settled.test(e.file().path())) {
                    report.rewind = true; // see pass(): nothing runs before the rewind
                }
                continue; // still being written: the pass its settling brings rewinds it
            }
            if (e.state() == MigrationState.MODIFIED) {
                boolean reapply = options.onEdit() == OnEdit.REAPPLY && changed.contains(e.file().fileName());
                if (reapply && settled.test(e.file().path())) {
                    todo.add(e);
                }
                // Still being written, or re-applied now: no warning (a failure says it all).
                warnings.put("modified " + e.version(), reapply ? null : e.file().displayName() + " was edited after "
                        + "it was applied (state modified); nothing was run. See what changed with: show " + e.version()
                        + (options.onEdit() == OnEdit.REAPPLY ? "; saving it again re-applies it."
                                : options.onEdit() == OnEdit.REWIND ? " (" + noRewind + ")."
                                : " (watch --on-edit rewind rewinds the database and applies it again)."));
            } else if (e.state() == MigrationState.MISSING) {
                warnings.put("missing " + e.version(), "migration " + e.version()
                        + (e.name().isEmpty() ? "" : "_" + e.name()) + " is applied but its file is gone (state "
                        + "missing); nothing was run, the database keeps it.");
            } else if (e.state() == MigrationState.OUT_OF_ORDER) {
                warnings.put("out-of-order " + e.version(), e.file().displayName() + " is older than the newest applied "
                        + "migration (" + newest + "), so watch does not apply it (state out-of-order). To apply it anyway, run "
                        + "'apply " + e.version() + " --include-all'.");
            }
        }
        if (plan.conflicts().isEmpty()) {
            todo.addAll(pendingToRun(plan, changed, warnings));
        } else {
            todo.clear();
        }
        warnOnce(warnings);
        return report.rewind ? List.of() : todo;
    }

    /**
     * Pending files in order, up to the first that is still being written or is a draft (no
     * statement yet): a draft waits for its SQL, and the files after it wait with it, so nothing
     * runs out of order. The wait is said once per draft.
     */
    private List<PlanEntry> pendingToRun(Plan plan, Set<String> changed, Map<String, String> warnings) {
        List<PlanEntry> pending = plan.entries().stream().filter(PlanEntry::isNew).toList();
        if (blockedOn != null) {
            PlanEntry blocked = pending.stream().filter(e -> e.version().equals(blockedOn)).findFirst().orElse(null);
            if (blocked != null && !changed.contains(blocked.file().fileName())) {
                return List.of(); // still waiting for the blocking file to be saved again
            }
            blockedOn = null;
        }
        List<PlanEntry> run = new ArrayList<>();
        for (PlanEntry e : pending) {
            if (!settled.test(e.file().path())) {
                break; // being written: it and the files after it wait for the pass its settling brings
            }
            if (e.state() == MigrationState.DRAFT) {
                int after = pending.size() - pending.indexOf(e) - 1;
                warnings.put("draft " + e.version(), "waiting for SQL in " + e.file().displayName()
                        + (after > 0 ? " (" + after + " later file(s) wait behind it)" : "")
                        + ": it is applied when a save gives it its first statement.");
                break;
            }
            run.add(e);
        }
        return run;
    }

    private void warnOnce(Map<String, String> warnings) {
        warnings.forEach((key, message) -> {
            if (message != null && !warned.contains(key)) {
                listener.warning(message);
            }
        });
        warned = new HashSet<>(warnings.keySet());
    }

    private Rebuild rebuild(Report report) {
        return new Rebuild(target, planner, report, () -> stopping, options.lockTimeout(),
                e -> display.apply(e.file().path()));
    }

    /**
     * Whether edits can be rewound here: only on a local database, and not on a Supabase stack's
     * own database (its services keep sessions open and their schemas are not the migrations').
     */
    private boolean rewindable() throws SQLException {
        if (!target.url().isLocal()) {
            noRewind = "rewind is only for local databases; edits are not run here";
        } else {
            try (Connection conn = target.database().backgroundConnection()) {
                String cannot = Snapshots.cannotReplace(conn);
                noRewind = cannot != null ? cannot + ", which a rewind needs, so edits are not rewound: use watch "
                        + "--on-edit reapply, or a role that may" : pgshift.db.SupabaseStack.is(conn) ? "this is a Supabase stack's database, whose own schemas a rewind would take back "
                        + "too, so edits are not rewound here: use watch --on-edit reapply, or reset" : "";
            }
        }
        return noRewind.isEmpty();
    }

    /**
     * When an applied file was edited (and has settled): puts the database back to its state just
     * before it, from the snapshot of the longest unchanged run of files before it (taking one of
     * exactly that state when the snapshot was older), so that the pass applies the edited file and
     * every later one again.
     */
    private boolean rewindEdited(Rebuild rebuild, MigrationFolder.Scan scan) throws SQLException {
        Plan plan;
        try (Connection conn = target.database().backgroundConnection()) {
            plan = planner.plan(conn, scan);
        }
        List<PlanEntry> applied = plan.entries().stream().filter(e -> e.hasFile() && e.isApplied()).toList();
        int edited = -1;
        for (int i = 0; i < applied.size() && edited < 0; i++) {
            if (applied.get(i).state() == MigrationState.MODIFIED && settled.test(applied.get(i).file().path())) {
                edited = i;
            }
        }
        if (edited < 0) {
            return false;
        }
        Rebuild.Steps steps = steps(rebuild, applied.subList(0, edited));
        PlanEntry e = applied.get(edited);
        spare.join(); // a spare being made is nearer to done than a copy started now
        Rebuild.Restored restored = rebuild.restore(steps, steps.size(), Rebuild.ANY);
        rewoundTo = steps.chain().get(steps.size());
        int replayed = 0;
        if (restored.reached() < steps.size()) {
            replayed = rebuild.apply(steps, restored.reached(), steps.size());
            rebuild.keep(steps, steps.size(), Snapshots.Kind.WATCH); // the next edit of this file starts here
        }
        listener.info("rewound " + target.url().database() + " to just before " + e.file().displayName() + " (from "
                + restored.from() + (replayed > 0 ? ", then " + replayed + " earlier file(s) applied" : "") + ")"
                + (restored.sessionsEnded() > 0 ? "; ended " + restored.sessionsEnded() + " other session(s) on it" : ""));
        return true;
    }

    /** The applied files in run order, up to the first that was edited: what a snapshot of the database now holds. */
    private static Rebuild.Steps steps(Rebuild rebuild, List<PlanEntry> applied) {
        List<pgshift.migration.MigrationFile> files = new ArrayList<>();
        for (PlanEntry e : applied) {
            if (e.state() != MigrationState.APPLIED) {
                break;
            }
            files.add(e.file());
        }
        return rebuild.steps(files);
    }

    /**
     * Keeps a snapshot of the database as this pass left it, the start for rewinding a file that
     * comes later, and drops the ones no longer true (of files edited since). Skipped while other
     * sessions are connected: the server copies only an unused database.
     */
    private void keepSnapshot(Rebuild rebuild) throws SQLException {
        Plan plan;
        try (Connection conn = target.database().backgroundConnection()) {
            plan = planner.plan(conn, planner.scan());
        }
        List<PlanEntry> applied = plan.entries().stream().filter(e -> e.hasFile() && e.isApplied()).toList();
        Rebuild.Steps steps = steps(rebuild, applied);
        if (steps.size() == applied.size() && plan.inState(MigrationState.MISSING).isEmpty()) {
            boolean kept = rebuild.keep(steps, steps.size(), Snapshots.Kind.WATCH);
            if (!kept && !saidBusy) {
                listener.info("no snapshot kept: other sessions use " + target.url().database() + "; an edit of a file "
                        + "applied now rewinds from an earlier state");
            }
            saidBusy = !kept;
        }
        rebuild.dropAllBut(Snapshots.Kind.WATCH, Set.copyOf(steps.chain()));
    }

    /** Drops the snapshots this watch kept: called once it has stopped. */
    void dropSnapshots() {
        if (options.onEdit() != OnEdit.REWIND || !rewinding) {
            return;
        }
        try {
            spare.join();
            rebuild(new Report()).dropAllBut(Snapshots.Kind.WATCH, Set.of());
        } catch (SQLException | RuntimeException e) {
            listener.error("Could not remove watch's snapshots: " + pgshift.config.Secrets.mask(String.valueOf(e.getMessage()))
                    + ". The next watch or reset removes them.");
        }
    }

    /** Hears the runner: counts what was applied, remembers what failed. */
    private final class Report implements MigrationListener {
        private PlanEntry failed;
        private int ran;
        /** The plan showed a settled edit of an applied file, under rewind. */
        private boolean rewind;
        private List<PlanEntry> selected = List.of();

        @Override
        public void confirm(List<PlanEntry> todo) {
            selected = todo;
        }

        @Override
        public void notice(String message) {
            listener.info(message);
        }

        @Override
        public void applied(PlanEntry entry, Executor.Applied done) {
            applied++;
            ran++;
            listener.info((entry.state() == MigrationState.MODIFIED ? "re-applied " : "applied ")
                    + entry.file().displayName() + " (" + done.summary() + ")");
        }

        @Override
        public void failed(PlanEntry entry) {
            failed = entry;
        }

        int pendingAfter(PlanEntry entry) {
            return (int) selected.stream().skip(selected.indexOf(entry) + 1L)
                    .filter(PlanEntry::isNew).count();
        }
    }

    /** Asks the server to cancel what this pass is running (stopping a watch in the middle of a long file). */
    void cancel() {
        stopping = true;
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
