package pgshift.command;

import java.sql.Connection;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

import pgshift.config.DatabaseUrl;
import pgshift.console.LineDiff;
import pgshift.console.Table;
import pgshift.failure.PgshiftException;
import pgshift.migration.MigrationFolder;
import pgshift.migration.Plan;
import pgshift.migration.PlanEntry;
import pgshift.schema.Difference;
import pgshift.schema.SchemaDiff;
import pgshift.schema.SchemaSnapshot;
import pgshift.schema.Shadow;

/**
 * Replays the applied migrations into a shadow database and compares its schema with the
 * database's, object by object.
 */
@Command(name = "diff", mixinStandardHelpOptions = true,
        description = "Compare the database's schema with what its applied migrations make (replayed into a "
                + "shadow database that is dropped afterwards).")
public final class DiffCommand implements Callable<Integer> {

    @ParentCommand
    CommandRoot root;

    @Option(names = "--json", description = "Print the differences as JSON")
    boolean json;

    @Option(names = "--check", description = "Exit with 1 when there is any difference")
    boolean check;

    @Mixin
    ShadowOptions shadowOptions;

    @Option(names = "--schema", paramLabel = "NAME",
            description = "Compare only this schema (repeatable); also one left out by default (auth, storage, "
                    + "the ledger's supabase_migrations, ...)")
    List<String> schemas = new ArrayList<>();

    @Option(names = "--write", paramLabel = "NAME",
            description = "Write a new migration <UTC yyyyMMddHHmmss>_NAME.sql (named as new does) holding the DDL that turns "
                    + "what the applied migrations make into the database's schema; it is kept only once it runs in the "
                    + "shadow, and exits with 1 when it could not write every difference (listed at its top)")
    String write;

    @Override
    public Integer call() throws Exception {
        String name = write == null ? null : NewCommand.migrationName(write);
        if (name != null && json) {
            throw PgshiftException.usage("diff --write says what it wrote in words; leave out --json (or run diff --json "
                    + "on its own to see the differences).");
        }
        try (Context ctx = root.openContext()) {
            MigrationFolder.Scan scan = ctx.scan();
            DatabaseUrl given = shadowOptions.given(ctx);
            try (Connection conn = ctx.database().connection()) {
                ShadowBuild.Early early = ShadowBuild.start(ctx, conn, given); // made while the target is read
                Plan plan;
                try {
                    plan = ctx.plan(conn, scan);
                } catch (Exception e) {
                    early.close(); // drops the shadow, which nothing will take
                    throw e;
                }
                Set<String> applied = Set.copyOf(plan.entries().stream().filter(e -> e.isApplied() && e.hasFile())
                        .map(PlanEntry::version).toList());
                List<Difference> differences;
                Timing timing = new Timing();
                try (Shadow shadow = early.take(); AutoCloseable cancel = ctx.alsoCancel(shadow::cancelRunning)) {
                    replay(ctx, shadow, scan, applied);
                    timing.replayed();
                    Set<String> only = Set.copyOf(schemas);
                    SchemaSnapshot database = SchemaSnapshot.take(conn, only);
                    timing.databaseTaken();
                    SchemaSnapshot migrations = shadow.snapshot(only);
                    timing.shadowTaken();
                    differences = SchemaDiff.compare(database, migrations);
                    if (name != null) {
                        return new MigrationCapture(ctx, shadow, scan, only, applied.size(), root.lockTimeout())
                                .write(name, database, migrations, differences, timing.toString());
                    }
                }
                if (json) {
                    ctx.console().print(json(ctx.url(), differences));
                } else {
                    print(ctx, differences, applied.size(), timing.toString());
                }
                return check && !differences.isEmpty() ? 1 : 0;
            }
        }
    }

    private void replay(Context ctx, Shadow shadow, MigrationFolder.Scan scan, Set<String> applied) throws Exception {
        try {
            ShadowBuild.replay(ctx, shadow, scan, applied, root.lockTimeout());
        } catch (PgshiftException e) {
            if (e.kind() == PgshiftException.Kind.CANCELLED) {
                throw PgshiftException.cancelled("Cancelled while building the shadow database: it is removed; nothing "
                        + "was changed on " + ctx.url().masked() + ".");
            }
            throw new PgshiftException(e.kind(), "The applied migrations do not replay into the shadow database ("
                    + shadow.describe() + "), so there is nothing to compare with; it is removed, and nothing was changed "
                    + "on " + ctx.url().masked() + ". Fix the file so that it runs on an empty database, then diff again:\n"
                    + e.getMessage(), e);
        }
    }

    static String json(DatabaseUrl url, List<Difference> differences) {
        Json out = new Json().open('{').key("database").value(url.masked()).key("differences").open('[');
        for (Difference d : differences) {
            out.newline().open('{').key("kind").value(d.kind()).key("schema").value(d.schema()).key("name").value(d.name())
                    .key("change").value(d.change().label()).close('}');
        }
        if (!differences.isEmpty()) {
            out.lineBreak();
        }
        return out.close(']').close('}').lineBreak().toString();
    }

    /** Where the time went, for the summary line (the benchmark reads the snapshot's). */
    private static final class Timing {
        private final long start = System.nanoTime();
        private long replayed;
        private long databaseTaken;
        private long shadowTaken;

        void replayed() {
            replayed = System.nanoTime();
        }

        void databaseTaken() {
            databaseTaken = System.nanoTime();
        }

        void shadowTaken() {
            shadowTaken = System.nanoTime();
        }

        @Override
        public String toString() {
            return "compared in " + ms(start, shadowTaken) + " ms: shadow built in " + ms(start, replayed)
                    + " ms, snapshot of the database " + ms(replayed, databaseTaken) + " ms, of the shadow "
                    + ms(databaseTaken, shadowTaken) + " ms";
        }

        private static long ms(long from, long to) {
            return (to - from) / 1_000_000;
        }
    }

    private static void print(Context ctx, List<Difference> differences, int applied, String timing) {
        String database = ctx.url().masked();
        if (differences.isEmpty()) {
            ctx.console().println("No differences: " + database + " has the schema its " + applied
                    + " applied migration(s) make (" + timing + ").");
            return;
        }
        Table table = new Table("object", "kind", "change");
        differences.forEach(d -> table.row(d.key().qualified(), d.kind(), d.change().label()));
        StringBuilder out = new StringBuilder("\n").append(table.render(ctx.console().width()));
        for (Difference d : differences) {
            if (d.change() == Difference.Change.DIFFERS) {
                out.append("\n").append(d.kind()).append(' ').append(d.key().qualified())
                        .append(" (- as the migrations make it, + as it is in the database):\n")
                        .append(LineDiff.of(d.inMigrations().lines().toList(), d.inDatabase().lines().toList()));
            }
        }
        out.append("\n").append(differences.size()).append(" difference(s) between ").append(database)
                .append(" and what its ").append(applied).append(" applied migration(s) make (").append(timing).append(").");
        ctx.console().println(out.toString());
    }
}
