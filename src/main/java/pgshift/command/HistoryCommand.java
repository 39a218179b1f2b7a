package pgshift.command;

import java.sql.Connection;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

import pgshift.console.Table;
import pgshift.db.History;
import pgshift.migration.LedgerRow;

/** Lists ledger rows, newest first, with what pgshift knows about each. */
@Command(name = "history", mixinStandardHelpOptions = true,
        description = "Show ledger rows, newest first: applied at, by whom, how long, and how (executed, marked, other tool).")
public final class HistoryCommand implements Callable<Integer> {

    @ParentCommand
    CommandRoot root;

    @Parameters(index = "0", arity = "0..1", paramLabel = "N", defaultValue = "20", description = "How many rows (default: ${DEFAULT-VALUE})")
    int limit;

    @Override
    public Integer call() throws Exception {
        try (Context ctx = root.openContext(); Connection conn = ctx.database().connection()) {
            List<LedgerRow> rows = new ArrayList<>(History.read(conn));
            if (rows.isEmpty()) {
                ctx.console().println("The ledger is empty: nothing was applied to " + ctx.url().masked() + " yet.");
                return 0;
            }
            java.util.Collections.reverse(rows);
            Table table = new Table("VERSION", "NAME", "APPLIED AT", "BY", "TIME", "ORIGIN");
            for (LedgerRow row : rows.subList(0, Math.min(Math.max(limit, 0), rows.size()))) {
                table.row(row.version(), row.name(),
                        row.appliedAt() == null ? "" : StatusView.utc(row.appliedAt()),
                        row.appliedBy() == null ? "" : row.appliedBy(),
                        row.executionMs() == null ? "" : row.executionMs() + " ms",
                        row.origin() == null ? "other tool" : row.origin());
            }
            String out = table.render(ctx.console().width())
                    + (rows.size() > limit ? "(" + limit + " of " + rows.size() + " rows; history N shows more)" : rows.size() + " row(s)");
            ctx.console().println(out);
            return 0;
        }
    }
}
