package pgshift.command;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

import pgshift.config.DatabaseUrl;
import pgshift.db.Rehearsal;
import pgshift.engine.Migrator;
import pgshift.failure.PgshiftException;
import pgshift.migration.MigrationFolder;
import pgshift.migration.Plan;
import pgshift.migration.PlanEntry;
import pgshift.schema.Shadow;

/**
 * Rehearses what apply would do: on a shadow database holding the applied migrations, each
 * selected file applied as apply runs it; else (--in-place, or no shadow to be had) on the target
 * inside one transaction that is rolled back.
 */
@Command(name = "dry-run", mixinStandardHelpOptions = true,
        description = {"Rehearse what apply would do: the applied migrations are replayed into a shadow database "
                + "(dropped afterwards), then the selected ones are applied there exactly as apply would; the "
                + "database itself is not touched.",
                "With --in-place (and when no shadow database can be had): on the database, inside one "
                        + "transaction that is rolled back."})
public final class DryRunCommand implements Callable<Integer> {

    /** What the one-transaction rehearsal cannot do, said whenever it is the one that ran. */
    public static final String IN_PLACE_LIMITS = "In place, every selected file runs in one transaction on the database: "
            + "what needs a commit between files (an enum value added in one file and used in a later one) cannot "
            + "be rehearsed, and statements that cannot run in a transaction (CREATE INDEX CONCURRENTLY) are skipped.";

    @ParentCommand
    CommandRoot root;

    @Mixin
    SelectionOptions selection;

    @Option(names = "--in-place", description = "Rehearse on the database itself, inside one transaction that is "
            + "rolled back (no shadow database; what needs a commit between files cannot be rehearsed so)")
    boolean inPlace;

    @Mixin
    ShadowOptions shadowOptions;

    @Override
    public Integer call() throws Exception {
        if (inPlace && shadowOptions.typed()) {
            throw PgshiftException.usage("--in-place rehearses on the database itself, so --shadow-url has no use "
                    + "with it: give one or the other.");
        }
        try (Context ctx = root.openContext()) {
            var scan = ctx.scan();
            try (Connection conn = ctx.database().connection()) {
                if (inPlace) {
                    return inPlace(ctx, conn, scan);
                }
                DatabaseUrl given = shadowOptions.given(ctx);
                Shadow shadow;
                long start = System.nanoTime();
                try (ShadowBuild.Early early = ShadowBuild.start(ctx, conn, given)) {
                    Plan plan = ctx.plan(conn, scan);
                    List<PlanEntry> selected = selection.choose(plan, "dry-run");
                    if (selected.isEmpty()) {
                        ctx.console().println("Nothing to rehearse: no pending migrations.");
                        return 0;
                    }
                    try {
                        shadow = early.take();
                    } catch (SQLException | PgshiftException e) {
                        if (given != null || e instanceof PgshiftException p && p.kind() == PgshiftException.Kind.CANCELLED) {
                            throw e;
                        }
                        ctx.console().warn("No shadow database could be had (" + e.getMessage().strip() + "); rehearsing "
                                + "in place instead. Pass --shadow-url to give one.");
                        return inPlace(ctx, conn, scan);
                    }
                    try (shadow; AutoCloseable cancel = ctx.alsoCancel(shadow::cancelRunning)) {
                        return onShadow(ctx, shadow, scan, plan, selected, start);
                    }
                }
            }
        }
    }

    /**
     * Fills the shadow with the applied migrations (a selected one, such as an edited applied file
     * named by version, is left for the rehearsal), then applies the selected ones through the
     * runner. When they all come after the replayed ones, one runner pass does both (one plan, one
     * preload: about 0.3 s of 4 s for 500 + 500 generated files); else the replay runs first, as
     * apply would run an older file after the applied ones.
     */
    private int onShadow(Context ctx, Shadow shadow, MigrationFolder.Scan scan, Plan plan, List<PlanEntry> selected,
                         long start) throws SQLException {
        Set<String> chosen = Set.copyOf(selected.stream().map(PlanEntry::version).toList());
        List<PlanEntry> entries = plan.entries();
        Set<String> applied = new HashSet<>();
        int lastApplied = -1;
        for (int i = 0; i < entries.size(); i++) {
            PlanEntry e = entries.get(i);
            if (e.isApplied() && e.hasFile() && !chosen.contains(e.version())) {
                applied.add(e.version());
                lastApplied = i;
            }
        }
        boolean onePass = entries.stream().skip(lastApplied + 1).map(PlanEntry::version).toList().containsAll(chosen);
        String untouched = "nothing was changed on " + ctx.url().masked() + ".";
        String header = "Dry-run of " + selected.size() + " migration(s) on the shadow database, after the "
                + applied.size() + " applied one(s); each is applied as apply would, " + ctx.url().masked()
                + " is not touched";
        ShadowRehearsalReport report = new ShadowRehearsalReport(ctx.console(), chosen,
                ShadowBuild.progress(ctx, shadow, applied.size()), applied.size(), header);
        try {
            if (!onePass) {
                shadow.replay(ctx.planner(), scan, applied, chosen, report, root.lockTimeout(),
                        e -> ctx.display(e.file()));
                applied.clear();
            }
            applied.addAll(chosen); // the chosen ones each in a transaction of their own, as apply runs them
            shadow.replay(ctx.planner(), scan, applied, chosen, report, root.lockTimeout(),
                    e -> ctx.display(e.file()));
        } catch (PgshiftException e) {
            if (!report.rehearsing()) {
                throw failed(e, "Cancelled while building the shadow database: it is removed; " + untouched,
                        "The applied migrations do not replay into the shadow database (" + shadow.describe() + "), so "
                                + "the pending ones cannot be rehearsed on it; it is removed, and " + untouched + " Fix "
                                + "the file so that it runs on an empty database, or rehearse with --in-place:\n"
                                + e.getMessage());
            }
            throw failed(e, "Cancelled during the dry-run: the shadow database is removed; " + untouched,
                    "Dry-run failed on the shadow database: apply would stop at this file.\n" + e.getMessage()
                            + "\nThe shadow database is removed; " + untouched);
        }
        long rehearsal = report.rehearsalMillis();
        ctx.console().println("Rehearsed " + selected.size() + " migration(s) in " + rehearsal + " ms (the shadow "
                + "made and filled in " + ((System.nanoTime() - start) / 1_000_000 - rehearsal) + " ms); the shadow "
                + "database is removed, and " + untouched);
        return 0;
    }

    private static PgshiftException failed(PgshiftException e, String cancelled, String message) {
        return e.kind() == PgshiftException.Kind.CANCELLED ? PgshiftException.cancelled(cancelled)
                : new PgshiftException(e.kind(), message, e);
    }

    /** The one-transaction rehearsal on the target, rolled back: it needs no second database. */
    private int inPlace(Context ctx, Connection conn, MigrationFolder.Scan scan) throws SQLException {
        RunReport report = new RunReport(ctx, true, root.yes());
        Migrator.Result result = ctx.migrator(conn, report, root.tableLockTimeout()).run(
                new Migrator.Request(Migrator.Mode.REHEARSE, plan -> selection.choose(plan, "dry-run"),
                        root.lockTimeout(), e -> ctx.display(e.file())), scan);
        if (result.selected().isEmpty()) {
            ctx.console().println("Nothing to rehearse: no pending migrations.");
            return 0;
        }
        ctx.console().println("Rolled back: schema and ledger are as they were. Sequence values used during "
                + "the rehearsal are not given back (PostgreSQL sequences are not transactional).");
        ctx.console().println(IN_PLACE_LIMITS);
        Rehearsal.Outcome failed = report.failedRehearsal();
        if (failed == null) {
            return 0;
        }
        int notRun = result.selected().size() - result.done() - 1;
        String later = notRun > 0 ? " " + notRun + " later migration(s) were not rehearsed." : "";
        if (failed.whyNotRehearsable() != null) {
            throw PgshiftException.migration("Dry-run stopped: this statement cannot be rehearsed in dry-run's "
                    + "single transaction: " + failed.whyNotRehearsable() + ". This says nothing about apply, "
                    + "which runs each file in a transaction of its own; without --in-place, dry-run rehearses "
                    + "on a shadow database, file by file." + later);
        }
        throw PgshiftException.migration("Dry-run failed: the statement above failed in the rehearsal "
                + "(all selected files in one transaction)." + later);
    }
}
