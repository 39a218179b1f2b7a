package pgshift.command;

import java.sql.Connection;
import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.ParentCommand;

import pgshift.failure.PgshiftException;
import pgshift.engine.Migrator;
import pgshift.migration.MigrationState;
import pgshift.migration.Plan;

/** Applies pending migrations in order, each file in its own transaction with its ledger row. */
@Command(name = "apply", mixinStandardHelpOptions = true,
        description = "Apply pending migrations (all, one VERSION or FILE, or --to VERSION).")
public final class ApplyCommand implements Callable<Integer> {

    @ParentCommand
    CommandRoot root;

    @Mixin
    SelectionOptions selection;

    @Override
    public Integer call() throws Exception {
        try (Context ctx = root.openContext()) {
            var scan = ctx.scan();
            try (Connection conn = ctx.database().connection()) {
                Migrator.Result result = ctx.migrator(conn, new RunReport(ctx, false, root.yes()), root.tableLockTimeout()).run(
                        new Migrator.Request(Migrator.Mode.APPLY, plan -> selection.choose(plan, "apply"),
                                root.lockTimeout(), e -> ctx.display(e.file())), scan);
                if (result.selected().isEmpty()) {
                    return nothingToApply(ctx, result.plan());
                }
                ctx.console().println("Applied " + result.done() + " migration(s) in " + result.millis() + " ms.");
                return 0;
            }
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
