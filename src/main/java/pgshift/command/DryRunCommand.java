package pgshift.command;

import java.sql.Connection;
import java.util.List;
import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.ParentCommand;

import pgshift.PgshiftException;
import pgshift.console.Console;
import pgshift.db.Executor;
import pgshift.db.History;
import pgshift.db.MigrationLock;
import pgshift.db.Rehearsal;
import pgshift.migration.MigrationFolder;
import pgshift.migration.MigrationScript;
import pgshift.migration.Plan;
import pgshift.migration.PlanEntry;
import pgshift.migration.SqlStatement;

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
            Console console = ctx.console();
            MigrationFolder.Scan scan = ctx.scan();
            try (Connection conn = ctx.database().connection();
                 MigrationLock lock = ctx.lock(conn, root.lockTimeout())) {
                Plan plan = ctx.plan(conn, scan);
                Drift.warn(ctx, plan);
                List<PlanEntry> todo = selection.choose(plan, "dry-run");
                if (todo.isEmpty()) {
                    console.println("Nothing to rehearse: no pending migrations.");
                    return 0;
                }
                console.println("Dry-run of " + todo.size() + " migration(s) on " + ctx.url().masked()
                        + " (everything is rolled back at the end)");
                boolean failed;
                try (Rehearsal rehearsal = new Rehearsal(conn)) {
                    History.ensureTables(conn);
                    failed = rehearse(ctx, rehearsal, todo);
                }
                console.println("Rolled back: schema and ledger are as they were. Sequence values used during the "
                        + "rehearsal are not given back (PostgreSQL sequences are not transactional).");
                if (failed) {
                    throw PgshiftException.migration("Dry-run failed: apply would fail on the same statement.");
                }
                return 0;
            }
        }
    }

    /** Reports each file; returns true when one failed (the rest are then not rehearsed). */
    private static boolean rehearse(Context ctx, Rehearsal rehearsal, List<PlanEntry> todo) throws java.sql.SQLException {
        Console console = ctx.console();
        for (int i = 0; i < todo.size(); i++) {
            PlanEntry entry = todo.get(i);
            Rehearsal.Outcome outcome = rehearsal.rehearse(MigrationScript.load(entry.file()), ctx.display(entry.file()));
            if (outcome.failed()) {
                console.println("  " + console.red("FAILED") + "  " + entry.file().fileName() + "  after "
                        + Math.max(0, outcome.executed()) + " statement(s), " + outcome.millis() + " ms");
                console.println(outcome.failure().stripTrailing());
                if (i + 1 < todo.size()) {
                    console.println("  " + (todo.size() - i - 1) + " later migration(s) not rehearsed.");
                }
                return true;
            }
            console.println("  " + console.green("ok") + "      " + entry.file().fileName() + "  ("
                    + outcome.executed() + " statement(s), " + outcome.millis() + " ms)");
            for (SqlStatement s : outcome.notRehearsed()) {
                console.println("          not rehearsed: line " + s.codeStart().line() + ": " + Executor.firstWords(s.text())
                        + " (cannot run inside a transaction)");
            }
        }
        return false;
    }
}
