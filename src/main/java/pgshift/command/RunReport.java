package pgshift.command;

import java.util.List;

import pgshift.console.Confirmation;
import pgshift.console.Console;
import pgshift.db.Executor;
import pgshift.db.Rehearsal;
import pgshift.engine.MigrationListener;
import pgshift.migration.MigrationState;
import pgshift.migration.Plan;
import pgshift.migration.PlanEntry;
import pgshift.migration.SqlStatement;

/** Prints what an apply or dry-run does, file by file, on the command's console. */
final class RunReport implements MigrationListener {

    private final Context ctx;
    private final Console console;
    private final boolean rehearsal;
    private final boolean yes;
    private Rehearsal.Outcome failedRehearsal;

    /** @param yes whether a remote target was already confirmed (--yes) */
    RunReport(Context ctx, boolean rehearsal, boolean yes) {
        this.ctx = ctx;
        this.console = ctx.console();
        this.rehearsal = rehearsal;
        this.yes = yes;
    }

    /** The failed rehearsal, if any, once the run is over. */
    Rehearsal.Outcome failedRehearsal() {
        return failedRehearsal;
    }

    @Override
    public void waitingForLock(String message) {
        console.notice(message);
    }

    @Override
    public void planned(Plan plan) {
        plan.inState(MigrationState.MODIFIED).forEach(e -> console.warn(e.file().displayName()
                + " was edited after it was applied; the edit is not applied (see status)."));
        plan.inState(MigrationState.MISSING).forEach(e -> console.warn("migration " + e.version()
                + (e.name().isEmpty() ? "" : "_" + e.name()) + " is in the ledger but its file is missing."));
    }

    @Override
    public void confirm(List<PlanEntry> todo) {
        if (rehearsal) {
            console.println("Dry-run of " + todo.size() + " migration(s) on " + ctx.url().masked()
                    + " (everything is rolled back at the end)");
            return;
        }
        Confirmation.require(console, ctx.url(), yes, "apply " + todo.size() + " migration(s)");
        console.println("Applying " + todo.size() + " migration(s) to " + ctx.url().masked());
    }

    @Override
    public void notice(String message) {
        console.notice(message);
    }

    @Override
    public void applied(PlanEntry entry, Executor.Applied applied) {
        if (entry.state() == MigrationState.DRAFT) {
            console.println("  " + console.green("applied") + "  " + entry.file().displayName() + "  (no statements yet: "
                    + "recorded as applied with none, as the Supabase CLI does; SQL added later shows as modified)");
            return;
        }
        console.println("  " + console.green(entry.state() == MigrationState.MODIFIED ? "re-applied" : "applied")
                + "  " + entry.file().displayName() + "  (" + applied.summary() + ")");
    }

    @Override
    public void failed(PlanEntry entry) {
        console.println("  " + console.red("FAILED") + "   " + entry.file().displayName());
    }

    @Override
    public void rehearsed(PlanEntry entry, Rehearsal.Outcome outcome) {
        if (outcome.failed()) {
            failedRehearsal = outcome;
            console.println("  " + console.red("FAILED") + "  " + entry.file().displayName() + "  after "
                    + Math.max(0, outcome.executed()) + " statement(s), " + outcome.millis() + " ms");
            console.println(outcome.failure().stripTrailing());
            return;
        }
        console.println("  " + console.green("ok") + "      " + entry.file().displayName() + "  ("
                + outcome.executed() + " statement(s), " + outcome.millis() + " ms)");
        for (SqlStatement s : outcome.notRehearsed()) {
            console.println("          not rehearsed: line " + s.codeStart().line() + ": " + pgshift.migration.StatementNormalizer.firstWords(s.text())
                    + " (cannot run inside a transaction)");
        }
    }
}
