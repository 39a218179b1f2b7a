package pgshift.migration;

import java.util.List;
import java.util.stream.Collectors;

import pgshift.failure.PgshiftException;

/** Which migrations a run picks from a plan: all runnable ones, one VERSION or FILE, or up to --to VERSION. */
final class PlanSelection {

    private PlanSelection() {
    }

    /**
     * The entries to run, in run order. Conflicts stop everything; out-of-order files stop the
     * whole run unless includeAll, because running an old file after newer ones is a decision for a person.
     *
     * @param command the command's name, for the hint ("apply", "dry-run")
     */
    static List<PlanEntry> choose(Plan plan, String target, String to, boolean includeAll, String command) {
        if (target != null && to != null) {
            throw PgshiftException.usage("Give either a VERSION or --to VERSION, not both.");
        }
        plan.requireConsistent();
        List<PlanEntry> candidates;
        if (target != null) {
            PlanEntry entry = plan.find(target);
            candidates = entry.isRunnable() ? List.of(entry) : List.of();
        } else if (to != null) {
            // Up to the entry's place in the run order, so --to runs a prefix of what a plain apply would.
            candidates = plan.upTo(to);
        } else {
            candidates = plan.runnable();
        }
        List<PlanEntry> outOfOrder = candidates.stream().filter(e -> e.state() == MigrationState.OUT_OF_ORDER).toList();
        if (!outOfOrder.isEmpty() && !includeAll) {
            String names = outOfOrder.stream().map(e -> e.file().displayName()).collect(Collectors.joining(", "));
            String again = command + (target != null ? " " + MigrationFile.printable(target) : "")
                    + (to != null ? " --to " + MigrationFile.printable(to) : "") + " --include-all";
            throw PgshiftException.migration("Refusing to run " + names + ": older than the newest applied migration ("
                    + plan.newestApplied().orElse("?") + "), so it would run after migrations that were written after it. "
                    + "If that is what you want, run '" + again + "'.");
        }
        return candidates;
    }
}
