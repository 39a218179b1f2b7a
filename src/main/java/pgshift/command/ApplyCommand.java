package pgshift.command;

import java.sql.Connection;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.ParentCommand;

import pgshift.PgshiftException;
import pgshift.console.Confirmation;
import pgshift.console.Console;
import pgshift.db.Executor;
import pgshift.db.History;
import pgshift.db.MigrationLock;
import pgshift.migration.MigrationFolder;
import pgshift.migration.MigrationScript;
import pgshift.migration.Plan;
import pgshift.migration.PlanEntry;

/** Applies pending migrations in version order, each file in its own transaction with its ledger row. */
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
            Console console = ctx.console();
            MigrationFolder.Scan scan = ctx.scan();
            try (Connection conn = ctx.database().connection();
                 MigrationLock lock = ctx.lock(conn, root.lockTimeout())) {
                Plan plan = ctx.plan(conn, scan);
                Drift.warn(ctx, plan);
                List<PlanEntry> todo = selection.choose(plan, "apply");
                if (todo.isEmpty()) {
                    console.println(selection.target == null
                            ? "Nothing to apply: " + ctx.url().masked() + " is up to date."
                            : "Nothing to apply: " + selection.target + " is already applied.");
                    return 0;
                }
                List<MigrationScript> loaded = preload(todo);
                Confirmation.require(ctx.console(), ctx.url(), root.yes(), "apply " + todo.size() + " migration(s)");
                History.ensureTables(conn);
                console.println("Applying " + todo.size() + " migration(s) to " + ctx.url().masked());
                run(ctx, conn, todo, loaded);
                return 0;
            }
        }
    }

    /** Scripts kept between the check and the run, in characters: a few 50 MB seed files fit in -Xmx256m. */
    private static final long KEEP_CHARS = 64L << 20;

    /**
     * Splits every file before any runs, so a broken file stops the run while nothing has changed.
     * Scripts are kept for the run while they fit {@link #KEEP_CHARS}; the rest are split again later.
     */
    private static List<MigrationScript> preload(List<PlanEntry> todo) {
        // The first file needs no check: it is streamed in its own transaction (see Executor), so a
        // broken first file is rolled back before anything is committed.
        List<PlanEntry> later = todo.subList(1, todo.size());
        List<MigrationScript> loaded = new ArrayList<>();
        loaded.add(null);
        if (later.stream().mapToLong(e -> e.file().path().toFile().length()).sum() <= KEEP_CHARS) {
            // All of it fits: split on every core.
            loaded.addAll(later.parallelStream().map(e -> MigrationScript.load(e.file())).toList());
            return loaded;
        }
        long chars = 0;
        for (PlanEntry entry : later) {
            MigrationScript script = MigrationScript.load(entry.file());
            chars += script.chars();
            loaded.add(chars <= KEEP_CHARS ? script : null);
        }
        return loaded;
    }

    private static void run(Context ctx, Connection conn, List<PlanEntry> todo, List<MigrationScript> loaded)
            throws java.sql.SQLException {
        Console console = ctx.console();
        Executor executor = new Executor(conn, console::notice, ctx.database()::connectionAside);
        long start = System.nanoTime();
        int done = 0;
        conn.setAutoCommit(false); // one mode for the whole run; see Executor.apply
        for (int i = 0; i < todo.size(); i++) {
            PlanEntry entry = todo.get(i);
            MigrationScript script = loaded.get(i);
            loaded.set(i, null); // let a big script go as soon as it has run
            try {
                String display = ctx.display(entry.file());
                Executor.Applied applied = i == 0 ? executor.apply(entry.file(), display)
                        : executor.apply(script != null ? script : MigrationScript.load(entry.file()), display);
                console.println("  " + console.green("applied") + "  " + entry.file().fileName() + "  ("
                        + applied.statements() + " statement(s), " + applied.millis() + " ms)");
            } catch (PgshiftException e) {
                console.println("  " + console.red("FAILED") + "   " + entry.file().fileName());
                int notRun = todo.size() - done - 1;
                throw new PgshiftException(e.kind(), e.getMessage() + "\n" + done + " migration(s) applied before it"
                        + (notRun > 0 ? "; " + notRun + " later migration(s) not run." : "."), e);
            }
            done++;
        }
        conn.setAutoCommit(true);
        console.println("Applied " + done + " migration(s) in " + (System.nanoTime() - start) / 1_000_000 + " ms.");
    }
}
