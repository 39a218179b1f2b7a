package pgshift.command;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.ParentCommand;

import pgshift.failure.PgshiftException;
import pgshift.engine.Migrator;
import pgshift.engine.Seeds;
import pgshift.migration.MigrationState;
import pgshift.migration.Plan;

/**
 * Applies pending migrations in order, each file in its own transaction with its ledger row; on
 * the embedded database, the apply that fills an empty ledger then loads the seed files.
 */
@Command(name = "apply", mixinStandardHelpOptions = true,
        description = {"Apply pending migrations (all, one VERSION or FILE, or --to VERSION).",
                "On the embedded database (no DATABASE_URL), the first apply then loads the seed files."})
public final class ApplyCommand implements Callable<Integer> {

    @ParentCommand
    CommandRoot root;

    @Mixin
    SelectionOptions selection;

    @Mixin
    SeedOptions seeding;

    @Override
    public Integer call() throws Exception {
        try (Context ctx = root.openContext()) {
            var scan = ctx.scan();
            // Found first, so a --seed glob that matches nothing stops the command before anything runs.
            List<Path> seeds = seeding.files(ctx.folder(), ctx.workingDir());
            try (Connection conn = ctx.database().connection()) {
                Migrator.Result result = ctx.migrator(conn, new RunReport(ctx, false, root.yes()), root.tableLockTimeout()).run(
                        new Migrator.Request(Migrator.Mode.APPLY, plan -> selection.choose(plan, "apply"),
                                root.lockTimeout(), e -> ctx.display(e.file())), scan);
                if (result.selected().isEmpty()) {
                    return nothingToApply(ctx, result.plan());
                }
                ctx.console().println("Applied " + result.done() + " migration(s) in " + result.millis() + " ms.");
                seedAfterFirstApply(ctx, conn, result, seeds);
                return 0;
            }
        }
    }

    /**
     * Loads the seed files when this apply took the embedded database's ledger from empty to
     * non-empty: the database was just made, and has only what the migrations put in it.
     */
    private void seedAfterFirstApply(Context ctx, Connection conn, Migrator.Result result, List<Path> seeds)
            throws SQLException {
        boolean ledgerWasEmpty = result.plan().entries().stream().allMatch(e -> e.row() == null);
        if (ctx.target().isEmbedded() && ledgerWasEmpty && result.done() > 0) {
            Seeds.run(conn, seeds, ctx::display, ctx.console()::println,
                    new Seeds.LockGuard(ctx.database()::backgroundConnection, root.tableLockTimeout()));
        } else if (seeding.named()) {
            ctx.console().notice("Seed files not loaded: they load after the first apply on the embedded database "
                    + "(no DATABASE_URL) and after reset, and this apply is neither.");
        }
    }

    private int nothingToApply(Context ctx, Plan plan) {
        boolean noFiles = plan.entries().stream().noneMatch(e -> e.hasFile());
        int missing = plan.inState(MigrationState.MISSING).size();
        if (noFiles && missing > 0) {
            throw PgshiftException.migration("Nothing to apply, and nothing matches: " + ctx.display(ctx.folder())
                    + " holds no migration files, while the ledger of " + ctx.url().masked() + " records " + missing
                    + " migration(s), so every recorded migration is missing. Check the folder (--dir) and the "
                    + "database; status lists the recorded versions.");
        }
        ctx.console().println(selection.target == null
                ? "Nothing to apply: " + ctx.url().masked() + " is up to date."
                : "Nothing to apply: " + selection.target + " is already applied.");
        return 0;
    }
}
