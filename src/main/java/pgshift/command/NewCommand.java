package pgshift.command;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

import pgshift.PgshiftException;

/** Creates a new migration file named with the current UTC time, like supabase migration new. */
@Command(name = "new", mixinStandardHelpOptions = true,
        description = "Create <UTC yyyyMMddHHmmss>_<name>.sql in the migrations folder from a short template.")
public final class NewCommand implements Callable<Integer> {

    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMddHHmmss");

    @ParentCommand
    CommandRoot root;

    @Parameters(index = "0", arity = "1..*", paramLabel = "NAME", description = "What the migration does, e.g. add bounce tracking")
    String[] words;

    @Override
    public Integer call() throws Exception {
        String name = sanitize(String.join("_", words));
        if (name.isEmpty()) {
            throw PgshiftException.usage("A migration name needs at least one letter or digit, e.g. new add_bounce_tracking.");
        }
        try (Context ctx = root.openContext()) {
            Path folder = ctx.folder();
            Files.createDirectories(folder);
            Path file = folder.resolve(STAMP.format(ZonedDateTime.now(ZoneOffset.UTC)) + "_" + name + ".sql");
            if (Files.exists(file)) {
                throw PgshiftException.usage(ctx.display(file) + " already exists; wait a second and try again.");
            }
            Files.writeString(file, "-- " + name.replace('_', ' ') + "\n-- Runs in one transaction with its ledger row. "
                    + "For CREATE INDEX CONCURRENTLY and the like, make the first line: -- pgshift:no-transaction\n\n");
            ctx.console().println(ctx.display(file));
            return 0;
        }
    }

    /** Lower case, [a-z0-9_] only, runs of anything else become one underscore. */
    static String sanitize(String raw) {
        return raw.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "_").replaceAll("^_+|_+$", "");
    }
}
