package pgshift.command;

import java.sql.Connection;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

import pgshift.failure.PgshiftException;
import pgshift.console.Confirmation;
import pgshift.console.Console;
import pgshift.db.History;
import pgshift.db.MigrationLock;
import pgshift.migration.LedgerRow;
import pgshift.migration.MigrationFolder;
import pgshift.migration.MigrationFile;
import pgshift.migration.MigrationScript;
import pgshift.migration.MigrationState;
import pgshift.migration.Plan;
import pgshift.migration.PlanEntry;
import pgshift.schema.Evidence;

/**
 * Records migrations as applied without running them (baselining, or repairing history), once
 * the database is shown to hold their objects (see {@link VerifyCommand}).
 */
@Command(name = "mark-applied", mixinStandardHelpOptions = true,
        description = "Record migrations as applied without running them. First checks, on a shadow database, that "
                + "the database already has the objects each one makes, and refuses one whose objects are absent or "
                + "only partly present (--force records without checking).")
public final class MarkAppliedCommand implements Callable<Integer> {

    @ParentCommand
    CommandRoot root;

    @Parameters(arity = "0..*", paramLabel = "VERSION", description = "Versions (or file names) to record")
    List<String> versions = new ArrayList<>();

    @Option(names = "--through", paramLabel = "VERSION", description = "Record every pending migration up to and including VERSION")
    String through;

    @Option(names = "--force", description = "Record without checking that the database has the migrations' objects")
    boolean force;

    @Mixin
    ShadowOptions shadow = new ShadowOptions();

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
                if (!force) { // after the confirmation: on a remote host the evidence starts the embedded server
                    requireEvidence(ctx, conn, plan, scan, toMark);
                }
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

    /**
     * Refuses, before anything is recorded, the migrations whose objects are absent or only partly
     * present; one that changes nothing a snapshot sees cannot be proven either way and is let through.
     */
    private void requireEvidence(Context ctx, Connection conn, Plan plan, MigrationFolder.Scan scan,
                                 List<PlanEntry> toMark) throws Exception {
        List<Evidence> evidence = VerifyCommand.gather(ctx, conn, plan, scan, toMark, shadow, root.lockTimeout(),
                "mark-applied");
        List<String> refused = new ArrayList<>();
        for (Evidence e : evidence) {
            String file = toMark.stream().filter(p -> p.version().equals(e.version())).findFirst()
                    .map(p -> p.file().fileName()).orElse(e.version());
            switch (e.verdict()) {
                case ALREADY_PRESENT -> ctx.console().println("  evidence: " + file + ": " + VerifyCommand.meaning(e) + ".");
                case NO_SCHEMA_CHANGE -> ctx.console().println("  no evidence: " + file + ": " + VerifyCommand.meaning(e)
                        + "; recorded on your word.");
                default -> refused.add(file + " is " + e.verdict().label() + " (" + listed(e) + "): " + next(e));
            }
        }
        if (!refused.isEmpty()) {
            throw PgshiftException.migration("Refused: the database does not have what " + refused.size()
                    + " of these migration(s) make, so recording them as applied would be untrue; nothing was recorded.\n  "
                    + String.join("\n  ", refused) + "\nTo record them anyway, pass --force.");
        }
    }

    /** "present: table public.a; missing: index public.a_idx", at most a few per status. */
    private static String listed(Evidence e) {
        List<String> parts = new ArrayList<>();
        for (Evidence.Status status : Evidence.Status.values()) {
            List<Evidence.Item> items = e.with(status);
            if (!items.isEmpty()) {
                List<String> names = items.stream().limit(5).map(i -> i.key().kind() + " " + i.key().qualified()).toList();
                parts.add(status.label() + ": " + String.join(", ", names) + (items.size() > 5 ? ", ..." : ""));
            }
        }
        return String.join("; ", parts);
    }

    private static String next(Evidence e) {
        return e.verdict() == Evidence.Verdict.ABSENT ? "run it instead: apply " + e.version()
                : "see verify " + e.version() + " and diff, finish or drop those objects by hand, then apply "
                + e.version() + " or mark-applied " + e.version();
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
