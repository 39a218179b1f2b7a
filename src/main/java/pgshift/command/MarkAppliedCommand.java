package pgshift.command;

import java.sql.Connection;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

import pgshift.failure.PgshiftException;
import pgshift.console.Confirmation;
import pgshift.console.Console;
import pgshift.db.History;
import pgshift.db.MigrationLock;
import pgshift.migration.LedgerRow;
import pgshift.migration.MigrationFile;
import pgshift.migration.MigrationScript;
import pgshift.migration.MigrationState;
import pgshift.migration.Plan;
import pgshift.migration.PlanEntry;

/** Records migrations as applied without running them (baselining, or repairing history). */
@Command(name = "mark-applied", mixinStandardHelpOptions = true,
        description = "Record migrations as applied without running them.")
public final class MarkAppliedCommand implements Callable<Integer> {

    @ParentCommand
    CommandRoot root;

    @Parameters(arity = "0..*", paramLabel = "VERSION", description = "Versions (or file names) to record")
    List<String> versions = new ArrayList<>();

    @Option(names = "--through", paramLabel = "VERSION", description = "Record every pending migration up to and including VERSION")
    String through;

    @Override
    public Integer call() throws Exception {
        if (versions.isEmpty() == (through == null)) {
            throw PgshiftException.usage("Give the versions to mark as applied, or --through VERSION (not both).");
        }
        try (Context ctx = root.openContext()) {
            Console console = ctx.console();
            var scan = ctx.scan();
            try (Connection conn = ctx.database().connection();
                 MigrationLock lock = ctx.lock(conn, root.lockTimeout())) {
                Plan plan = ctx.plan(conn, scan);
                List<PlanEntry> chosen = choose(plan);
                List<PlanEntry> toMark = new ArrayList<>();
                for (PlanEntry e : chosen) {
                    if (e.isApplied()) {
                        console.println("  already applied, kept: " + e.version() + " " + e.name());
                    } else {
                        toMark.add(e);
                    }
                }
                if (toMark.isEmpty()) {
                    console.println("Nothing to mark.");
                    return 0;
                }
                Confirmation.require(ctx.console(), ctx.url(), root.yes(), "record " + toMark.size() + " migration(s) as applied");
                List<MigrationScript> scripts = toMark.stream().map(e -> MigrationScript.load(e.file())).toList();
                History.ensureTables(conn);
                ctx.ledgerChange(conn, root.lockTimeout(), () -> {
                    for (MigrationScript s : scripts) {
                        History.record(conn, s.file().version(), s.file().name(), s.texts(), null, LedgerRow.MARKED);
                    }
                    return null;
                });
                for (PlanEntry e : toMark) {
                    console.println("  marked applied: " + e.file().fileName() + " (not executed)");
                }
                console.println("Recorded " + toMark.size() + " migration(s) as applied.");
                return 0;
            }
        }
    }

    private List<PlanEntry> choose(Plan plan) {
        if (through != null) {
            return plan.upTo(through).stream().filter(PlanEntry::hasFile).toList();
        }
        Set<String> wanted = new LinkedHashSet<>();
        versions.forEach(v -> wanted.add(Selection.version(v)));
        List<String> unknown = new ArrayList<>();
        List<PlanEntry> chosen = new ArrayList<>();
        for (String v : wanted) {
            Selection.lookup(plan, v).filter(PlanEntry::hasFile).ifPresentOrElse(chosen::add, () -> unknown.add(v));
        }
        if (!unknown.isEmpty()) {
            throw PgshiftException.usage("No migration file has the version(s) " + String.join(", ", unknown)
                    + "; nothing was recorded. mark-applied records files from " + "the migrations folder: check the "
                    + "versions with status.");
        }
        return chosen;
    }

}
