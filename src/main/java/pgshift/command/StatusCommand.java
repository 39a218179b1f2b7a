package pgshift.command;

import java.sql.Connection;
import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

import pgshift.migration.Plan;

/** Shows every migration with its state: applied, pending, modified, missing or out-of-order. */
@Command(name = "status", mixinStandardHelpOptions = true,
        description = "Show applied and pending migrations.")
public final class StatusCommand implements Callable<Integer> {

    @ParentCommand
    CommandRoot root;

    @Option(names = "--json", description = "Print the status as JSON")
    boolean json;

    @Option(names = "--check", description = "Exit with 1 when anything is pending, modified, missing or out of order")
    boolean check;

    @Override
    public Integer call() throws Exception {
        try (Context ctx = root.openContext()) {
            pgshift.engine.Planner.Connected connected = ctx.scanAndConnect();
            try (Connection conn = connected.connection()) {
                Plan plan = ctx.plan(conn, connected.scan());
                plan.conflicts().forEach(ctx.console()::warn);
                if (json) {
                    ctx.console().print(StatusView.json(ctx.url(), plan));
                } else {
                    String server = conn.getMetaData().getDatabaseProductVersion();
                    StatusView.table(ctx, plan, server);
                }
                return check && plan.hasProblems() ? 1 : 0;
            }
        }
    }
}
