package pgshift.command;

import java.util.List;

import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import pgshift.migration.Plan;
import pgshift.migration.PlanEntry;

/** The options that pick migrations for apply and dry-run, declared once for both. */
public final class SelectionOptions {

    @Parameters(index = "0", arity = "0..1", paramLabel = "VERSION|FILE", description = "Only this migration")
    String target;

    @Option(names = "--to", paramLabel = "VERSION", description = "Pending migrations up to and including VERSION")
    String to;

    @Option(names = "--include-all", description = "Also pending files older than the newest applied one")
    boolean includeAll;

    /** The chosen entries in run order; refuses while the plan has conflicts. See {@link Plan#select}. */
    List<PlanEntry> choose(Plan plan, String command) {
        return plan.select(target, to, includeAll, command);
    }
}
