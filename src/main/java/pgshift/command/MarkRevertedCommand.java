package pgshift.command;

import java.sql.Connection;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

import pgshift.failure.PgshiftException;
import pgshift.console.Confirmation;
import pgshift.console.Console;
import pgshift.db.History;
import pgshift.db.MigrationLock;
import pgshift.migration.LedgerRow;

/** Deletes ledger rows without touching the schema, so the files count as pending again. */
@Command(name = "mark-reverted", mixinStandardHelpOptions = true,
        description = "Delete ledger rows without touching the schema.")
public final class MarkRevertedCommand implements Callable<Integer> {

    @ParentCommand
    CommandRoot root;

    @Parameters(arity = "1..*", paramLabel = "VERSION", description = "Versions (or file names) to remove from the ledger")
    List<String> versions = new ArrayList<>();

    @Override
    public Integer call() throws Exception {
        Set<String> wanted = new LinkedHashSet<>();
        versions.forEach(v -> wanted.add(Selection.version(v)));
        try (Context ctx = root.openContext()) {
            Console console = ctx.console();
            try (Connection conn = ctx.database().connection();
                 MigrationLock lock = ctx.lock(conn, root.lockTimeout())) {
                List<LedgerRow> rows = History.read(conn);
                Set<String> toDelete = new LinkedHashSet<>();
                List<String> unknown = new ArrayList<>();
                for (String v : wanted) {
                    Selection.matching(rows, LedgerRow::version, v)
                            .ifPresentOrElse(row -> toDelete.add(row.version()), () -> unknown.add(v));
                }
                if (!unknown.isEmpty()) {
                    throw PgshiftException.usage("Not in the ledger: " + String.join(", ", unknown)
                            + "; nothing was deleted. Check the applied versions with status.");
                }
                Confirmation.require(ctx.console(), ctx.url(), root.yes(), "delete " + toDelete.size() + " ledger row(s)");
                List<String> deleted = ctx.ledgerChange(conn, root.lockTimeout(), () -> History.delete(conn, toDelete));
                deleted.forEach(v -> console.println("  marked reverted: " + v + " (ledger row deleted, schema untouched)"));
                console.println("Removed " + deleted.size() + " ledger row(s).");
                return 0;
            }
        }
    }
}
