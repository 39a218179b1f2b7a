package pgshift.command;

import java.sql.Connection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.function.Function;
import java.util.stream.Collectors;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

import pgshift.config.DatabaseUrl;
import pgshift.engine.MigrationListener;
import pgshift.failure.PgshiftException;
import pgshift.migration.MigrationFolder;
import pgshift.migration.MigrationState;
import pgshift.migration.Plan;
import pgshift.migration.PlanEntry;
import pgshift.schema.Evidence;
import pgshift.schema.Shadow;
import pgshift.schema.Verifier;

/**
 * Says, object by object, whether the database holds what each migration makes: pending ones
 * already present, partly present or absent; applied ones present, missing or different.
 */
@Command(name = "verify", mixinStandardHelpOptions = true,
        description = "Check each migration's objects in the database: what it makes is learnt by replaying the "
                + "migrations into a shadow database (dropped afterwards). Without VERSION: every pending and every "
                + "modified migration. Exit code 0 when every verdict agrees with the ledger (applied and present, "
                + "pending and absent), 1 otherwise.")
public final class VerifyCommand implements Callable<Integer> {

    @ParentCommand
    CommandRoot root;

    @Parameters(arity = "0..*", paramLabel = "VERSION", description = "Versions (or file names) to verify")
    List<String> versions = new ArrayList<>();

    @Option(names = "--json", description = "Print the verdicts as JSON")
    boolean json;

    @Mixin
    ShadowOptions shadow = new ShadowOptions();

    @Override
    public Integer call() throws Exception {
        try (Context ctx = root.openContext()) {
            MigrationFolder.Scan scan = ctx.scan();
            try (Connection conn = ctx.database().connection()) {
                Plan plan = ctx.plan(conn, scan);
                List<PlanEntry> targets = targets(plan);
                if (targets.isEmpty()) {
                    if (json) {
                        ctx.console().print(json(ctx.url(), List.of(), Map.of()));
                    } else {
                        ctx.console().println("Nothing to verify: no migration is pending or modified. Give a version "
                                + "to verify an applied one.");
                    }
                    return 0;
                }
                List<Evidence> evidence = gather(ctx, conn, plan, scan, targets, shadow, root.lockTimeout(), "verify");
                Map<String, PlanEntry> byVersion = targets.stream()
                        .collect(Collectors.toMap(PlanEntry::version, Function.identity()));
                if (json) {
                    ctx.console().print(json(ctx.url(), evidence, byVersion));
                } else {
                    print(ctx, evidence, byVersion);
                }
                return evidence.stream().allMatch(Evidence::consistent) ? 0 : 1;
            }
        }
    }

    private List<PlanEntry> targets(Plan plan) {
        if (versions.isEmpty()) {
            return plan.entries().stream().filter(e -> e.hasFile() && e.state() != MigrationState.CONFLICT
                    && (!e.isApplied() || e.state() == MigrationState.MODIFIED)).toList();
        }
        Set<String> wanted = new LinkedHashSet<>();
        versions.forEach(v -> wanted.add(Selection.version(v)));
        List<PlanEntry> chosen = new ArrayList<>();
        for (String v : wanted) {
            PlanEntry e = Selection.find(plan, v);
            if (!e.hasFile()) {
                throw PgshiftException.usage("Migration " + v + " has no file (it is only in the ledger), so there is "
                        + "nothing to replay: verify checks what a file makes. See it with show " + v + ".");
            }
            chosen.add(e);
        }
        return chosen;
    }

    /**
     * The evidence for {@code targets}, gathered on one shadow that is dropped afterwards; a replay
     * that fails or is cancelled ends the command, saying the target was not changed.
     */
    static List<Evidence> gather(Context ctx, Connection conn, Plan plan, MigrationFolder.Scan scan,
                                 List<PlanEntry> targets, ShadowOptions options, Duration lockTimeout, String command)
            throws Exception {
        DatabaseUrl url = ctx.url();
        try (Shadow shadow = options.open(ctx, conn); AutoCloseable cancel = ctx.alsoCancel(shadow::cancelRunning)) {
            ctx.console().notice("Building the shadow database to verify " + targets.size() + " migration(s)... ("
                    + shadow.describe() + ")");
            Verifier verifier = new Verifier(shadow, ctx.planner(), scan, new MigrationListener() {
            }, lockTimeout, e -> ctx.display(e.file()), ctx.console()::notice);
            try {
                return verifier.verify(plan, targets, conn);
            } catch (PgshiftException e) {
                if (e.kind() == PgshiftException.Kind.CANCELLED) {
                    throw PgshiftException.cancelled("Cancelled while building the shadow database: it is removed; "
                            + "nothing was changed on " + url.masked() + ".");
                }
                throw new PgshiftException(e.kind(), "The migrations do not replay into the shadow database ("
                        + shadow.describe() + "), so there is no evidence; it is removed, and nothing was changed on "
                        + url.masked() + ". Fix the file so that it runs after the ones before it on an empty database, "
                        + "then run " + command + " again:\n" + e.getMessage(), e);
            }
        }
    }

    /** The sentence after a verdict's name: what it means for this migration. */
    static String meaning(Evidence e) {
        int all = e.objects().size();
        return switch (e.verdict()) {
            case ALREADY_PRESENT -> "every object it makes or changes is in the database as it would leave it";
            case PARTLY_PRESENT -> e.with(Evidence.Status.PRESENT).size() + " of its " + all
                    + " object(s) are as it would leave them, the others are not";
            case ABSENT -> "none of its " + all + " object(s) is in the database as it would leave it";
            case PRESENT -> "its " + all + " object(s) are in the database as the migrations leave them";
            case MISSING, DIFFERENT -> (all - e.with(Evidence.Status.PRESENT).size()) + " of its " + all
                    + " object(s) are not as the migrations leave them";
            case NO_SCHEMA_CHANGE -> "it changes no object a schema snapshot sees (only data?), so it cannot be "
                    + "proven either way";
        };
    }

    /** The command that fits the verdict (never prefixed with pgshift: the same words serve the shell). */
    static String next(Evidence e, PlanEntry entry) {
        String v = e.version();
        return switch (e.verdict()) {
            case ALREADY_PRESENT -> "mark-applied " + v + " (records it without running it)";
            case ABSENT -> "apply " + v;
            case PARTLY_PRESENT -> "inspect with show " + v + " and diff; finish or drop the objects listed by hand, "
                    + "then apply " + v + " or mark-applied " + v;
            case PRESENT -> entry.state() == MigrationState.MODIFIED
                    ? "show " + v + " (the file changed since it was applied, and the database has what it makes now)"
                    : "nothing to do";
            case MISSING, DIFFERENT -> "inspect with diff and show " + v
                    + "; restore the objects with a new migration (new NAME)";
            case NO_SCHEMA_CHANGE -> e.applied() ? "check its data with sql"
                    : "check its data with sql, then apply " + v + " or mark-applied " + v;
        };
    }

    private static final int LISTED = 20;

    private static void print(Context ctx, List<Evidence> evidence, Map<String, PlanEntry> byVersion) {
        StringBuilder out = new StringBuilder();
        for (Evidence e : evidence) {
            PlanEntry entry = byVersion.get(e.version());
            out.append(ctx.display(entry.file())).append(" (").append(entry.state().label()).append("): ")
                    .append(e.verdict().label()).append(": ").append(meaning(e)).append('\n');
            List<Evidence.Item> items = e.objects();
            for (Evidence.Item item : items.subList(0, Math.min(LISTED, items.size()))) {
                out.append(String.format("  %-12s %s %s%n", item.status().label(), item.key().kind(),
                        item.key().qualified()));
            }
            if (items.size() > LISTED) {
                out.append("  ... and ").append(items.size() - LISTED).append(" more (verify --json lists all)\n");
            }
            out.append("  next: ").append(next(e, entry)).append("\n\n");
        }
        long off = evidence.stream().filter(e -> !e.consistent()).count();
        out.append(evidence.size()).append(" migration(s) verified on ").append(ctx.url().masked()).append(": ")
                .append(off == 0 ? "every verdict agrees with the ledger."
                        : off + " verdict(s) disagree with the ledger (exit code 1).");
        ctx.console().println(out.toString());
    }

    static String json(DatabaseUrl url, List<Evidence> evidence, Map<String, PlanEntry> byVersion) {
        Json out = new Json().open('{').key("database").value(url.masked()).key("migrations").open('[');
        for (Evidence e : evidence) {
            PlanEntry entry = byVersion.get(e.version());
            out.newline().open('{').key("version").value(e.version()).key("name").value(entry.name())
                    .key("state").value(entry.state().label()).key("verdict").value(e.verdict().label())
                    .key("consistent").value(e.consistent()).key("next").value(next(e, entry)).key("objects").open('[');
            for (Evidence.Item item : e.objects()) {
                out.open('{').key("kind").value(item.key().kind()).key("schema").value(item.key().schema())
                        .key("name").value(item.key().name()).key("status").value(item.status().label()).close('}');
            }
            out.close(']').close('}');
        }
        if (!evidence.isEmpty()) {
            out.lineBreak();
        }
        return out.close(']').close('}').lineBreak().toString();
    }
}
