package pgshift.command;

import java.sql.Connection;
import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.ParentCommand;

import pgshift.migration.MigrationFolder;

/**
 * The shell's {@code rescan}: reads every file again instead of trusting the cache of unchanged
 * ones (for a file changed without its size or time changing, or a cache in doubt).
 */
@Command(name = "rescan", mixinStandardHelpOptions = true,
        description = "Read every migration file again, forgetting remembered digests, and count the migrations by state.")
public final class RescanCommand implements Callable<Integer> {

    @ParentCommand
    CommandRoot root;

    @Override
    public Integer call() throws Exception {
        Context ctx = root.openContext();
        ctx.planner().forgetDigests();
        MigrationFolder.Scan scan = ctx.scan();
        try (Connection conn = ctx.database().connection()) {
            ctx.console().println("Rescanned " + ctx.display(ctx.folder()) + ": " + scan.files().size() + " file(s); "
                    + StatusView.counts(ctx.plan(conn, scan)) + ".");
        }
        return 0;
    }
}
