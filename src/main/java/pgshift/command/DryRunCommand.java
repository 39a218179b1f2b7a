package pgshift.command;

import java.sql.Connection;
import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.ParentCommand;

import pgshift.failure.PgshiftException;
import pgshift.db.Rehearsal;
import pgshift.engine.Migrator;

/** Rehearses what apply would do inside one transaction, then rolls it all back. */
@Command(name = "dry-run", mixinStandardHelpOptions = true,
        description = "Execute what apply would, inside a transaction that is rolled back.")
public final class DryRunCommand implements Callable<Integer> {

    @ParentCommand
    CommandRoot root;

    @Mixin
    SelectionOptions selection;

    @Override
    public Integer call() throws Exception {
        try (Context ctx = root.openContext()) {
            var scan = ctx.scan();
            try (Connection conn = ctx.database().connection()) {
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
                Rehearsal.Outcome failed = report.failedRehearsal();
                if (failed == null) {
                    return 0;
                }
                int notRun = result.selected().size() - result.done() - 1;
                String later = notRun > 0 ? " " + notRun + " later migration(s) were not rehearsed." : "";
                if (failed.whyNotRehearsable() != null) {
                    throw PgshiftException.migration("Dry-run stopped: this statement cannot be rehearsed in dry-run's "
                            + "single transaction: " + failed.whyNotRehearsable() + ". This says nothing about apply, "
                            + "which runs each file in a transaction of its own." + later);
                }
                throw PgshiftException.migration("Dry-run failed: the statement above failed in the rehearsal "
                        + "(all selected files in one transaction)." + later);
            }
        }
    }
}
