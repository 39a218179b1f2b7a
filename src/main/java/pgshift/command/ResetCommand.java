package pgshift.command;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.ParentCommand;

import java.nio.file.Path;
import java.sql.Connection;

import pgshift.config.DatabaseUrl;
import pgshift.db.SupabaseStack;
import pgshift.engine.Migrator;
import pgshift.db.Snapshots;
import pgshift.engine.Rebuild;
import pgshift.engine.Seeds;
import pgshift.failure.PgshiftException;
import pgshift.migration.MigrationFile;
import pgshift.migration.MigrationFolder;

/**
 * Drops and recreates a local database, then applies every migration: from the cached snapshot of
 * the longest unchanged run of files, so a reset with nothing changed copies one database and a
 * reset after editing the newest file applies only that one.
 */
@Command(name = "reset", mixinStandardHelpOptions = true,
        description = "Drop and recreate the local database, then apply every migration and load the seed files "
                + "(local databases only; asks first on a terminal unless --yes).")
public final class ResetCommand implements Callable<Integer> {

    @ParentCommand
    CommandRoot root;

    @Mixin
    SeedOptions seeding;

    @Override
    public Integer call() throws Exception {
        try (Context ctx = root.openContext()) {
            DatabaseUrl url = ctx.url(); // a configured URL opens nothing: a remote one is refused before any connection
            Snapshots.requireLocal(url, "reset " + url.database());
            // Found before anything is dropped, so a --seed glob that matches nothing changes nothing.
            List<Path> seeds = seeding.files(ctx.folder(), ctx.workingDir());
            MigrationFolder.Scan scan = ctx.scan();
            scan.warnings().forEach(ctx.console()::warn);
            List<MigrationFile> files = new ArrayList<>(scan.files());
            files.sort(MigrationFile.RUN_ORDER);
            if (ctx.console().canAsk() && !root.yes()) {
                String answer = ctx.console().ask("About to reset database " + url.database() + " on " + url.address()
                        + " and apply " + files.size() + " migration(s) again: what is in it now is lost. Type yes to continue: ");
                if (answer == null || !answer.trim().equalsIgnoreCase("yes")) {
                    throw PgshiftException.usage("Cancelled: nothing was changed on " + url.masked() + ".");
                }
            }
            long start = System.nanoTime();
            Rebuild rebuild = new Rebuild(ctx.target(), ctx.planner(), new RunReport(ctx, false, true), () -> false,
                    root.lockTimeout(), e -> ctx.display(e.file()));
            // The files are hashed while the connection is made and checked (both take tens of ms for 1,000 files).
            CompletableFuture<Rebuild.Steps> steps = CompletableFuture.supplyAsync(() -> rebuild.steps(files));
            try (Connection conn = ctx.database().connection()) {
                if (SupabaseStack.is(conn)) {
                    resetSupabaseStack(ctx, conn, scan, start);
                    seed(ctx, seeds);
                    return 0;
                }
                String cannot = Snapshots.cannotReplace(conn);
                if (cannot != null) {
                    throw PgshiftException.config("Cannot reset " + url.masked() + ": " + cannot + ". Reset drops the "
                            + "database and creates it again: run it as the database's owner with CREATEDB (e.g. the "
                            + "postgres superuser of a local server). Nothing was changed.");
                }
            }
            resetFromSnapshots(ctx, url, rebuild, join(steps), start);
            seed(ctx, seeds); // after the snapshots are kept: they hold the migrated state only, never the seed data
            return 0;
        }
    }

    /**
     * Recreates the database from the reset snapshot of the longest unchanged run of files (or
     * empty), applies the rest, and keeps snapshots after the one-but-newest and the newest file.
     */
    private void resetFromSnapshots(Context ctx, DatabaseUrl url, Rebuild rebuild, Rebuild.Steps steps, long start)
            throws Exception {
        int n = steps.size();
        Rebuild.Restored restored = rebuild.restore(steps, n, Set.of(Snapshots.Kind.RESET));
        if (restored.sessionsEnded() > 0) {
            ctx.console().notice("Ended " + restored.sessionsEnded() + " other session(s) on " + url.database() + ".");
        }
        ctx.console().println("Recreated " + url.database() + " from " + restored.from()
                + (restored.reached() > 0 ? " (" + restored.reached() + " of " + n + " migration(s))" : "") + ".");
        int applied = 0;
        int reached = restored.reached();
        if (reached < n - 1) {
            applied += rebuild.apply(steps, reached, n - 1);
            rebuild.keep(steps, n - 1, Snapshots.Kind.RESET); // the start for a reset after an edit of the newest file
            reached = n - 1;
        }
        if (reached < n) {
            applied += rebuild.apply(steps, reached, n);
            rebuild.keep(steps, n, Snapshots.Kind.RESET);
        }
        Set<String> keep = n == 0 ? Set.of(steps.chain().get(0)) : Set.of(steps.chain().get(n - 1), steps.chain().get(n));
        int dropped = rebuild.dropAllBut(Snapshots.Kind.RESET, keep);
        rebuild.snapshots().awaitDrops();
        ctx.console().println("Reset " + url.database() + ": " + n + " migration(s) applied ("
                + (n - applied) + " from the snapshot, " + applied + " run) in " + (System.nanoTime() - start) / 1_000_000
                + " ms" + (dropped > 0 ? "; removed " + dropped + " snapshot(s) of older states" : "") + ".");
    }

    /** The steps once hashed; a file that could not be read fails here as it would have in line. */
    private static Rebuild.Steps join(CompletableFuture<Rebuild.Steps> steps) {
        try {
            return steps.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw e;
        }
    }

    private void seed(Context ctx, List<Path> seeds) throws Exception {
        try (Connection conn = ctx.database().connection()) {
            Seeds.run(conn, seeds, ctx::display, ctx.console()::println,
                    new Seeds.LockGuard(ctx.database()::backgroundConnection, root.tableLockTimeout()));
        }
    }

    /**
     * A Supabase stack's database keeps its services' schemas: only what the migrations own is
     * dropped (see {@link SupabaseStack#clear}), and every migration runs again. No snapshot.
     */
    private void resetSupabaseStack(Context ctx, Connection conn, MigrationFolder.Scan scan, long start) throws Exception {
        List<String> dropped = SupabaseStack.clear(conn);
        ctx.console().println("This is a Supabase stack's database: its own schemas (auth, storage, realtime, extensions, "
                + "...) are kept. Dropped " + (dropped.isEmpty() ? "nothing" : String.join(", ", dropped))
                + (dropped.contains("public") ? " (public made again with its privileges)" : "")
                + " and emptied the ledger. What migrations made inside Supabase's schemas (a trigger on auth.users, "
                + "a storage bucket) stays.");
        Migrator.Result result = ctx.migrator(conn, new RunReport(ctx, false, true), root.tableLockTimeout()).run(
                new Migrator.Request(Migrator.Mode.APPLY, plan -> {
                    plan.requireConsistent();
                    return plan.runnable();
                }, root.lockTimeout(), e -> ctx.display(e.file())), scan);
        ctx.console().println("Reset " + ctx.url().database() + ": " + result.done() + " migration(s) applied in "
                + (System.nanoTime() - start) / 1_000_000 + " ms.");
    }
}
