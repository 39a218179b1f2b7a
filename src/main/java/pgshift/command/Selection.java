package pgshift.command;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import pgshift.PgshiftException;
import pgshift.migration.MigrationFile;
import pgshift.migration.MigrationState;
import pgshift.migration.Plan;
import pgshift.migration.PlanEntry;

/** Which migrations apply and dry-run act on: all pending, one version or file, or up to a version. */
final class Selection {

    private Selection() {
    }

    /** A version as typed: "20251112000001", or a file name or path whose name carries it. */
    static String version(String arg) {
        if (arg.matches("[0-9]+")) {
            return arg;
        }
        Optional<MigrationFile> file = MigrationFile.parse(Path.of(arg).getFileName());
        if (file.isEmpty()) {
            throw PgshiftException.usage("'" + arg + "' is neither a version (digits) nor a migration file named "
                    + MigrationFile.EXPECTED_FORM + ".");
        }
        return file.get().version();
    }

    /** The entry with exactly this version, else the one with the same number (10000 finds 010000). */
    static Optional<PlanEntry> lookup(Plan plan, String version) {
        return matching(plan.entries(), PlanEntry::version, version);
    }

    /** Exact text first, then the same number: versions are text in the ledger but numbers to people. */
    static <T> Optional<T> matching(List<T> items, java.util.function.Function<T, String> versionOf, String version) {
        var number = MigrationFile.numeric(version);
        return items.stream().filter(e -> versionOf.apply(e).equals(version)).findFirst()
                .or(() -> items.stream().filter(e -> MigrationFile.numeric(versionOf.apply(e)).equals(number)).findFirst());
    }

    static PlanEntry find(Plan plan, String version) {
        return lookup(plan, version).orElseThrow(() ->
                PgshiftException.usage("No migration has the version " + version + ": neither a file in the folder "
                        + "nor a ledger row. Run status to see the versions."));
    }

    /**
     * The entries to run, in version order. Out-of-order files stop the whole run unless
     * includeAll, because running an old file after newer ones is a decision for a person.
     */
    static List<PlanEntry> toApply(Plan plan, String target, String to, boolean includeAll, String command) {
        if (target != null && to != null) {
            throw PgshiftException.usage("Give either a VERSION or --to VERSION, not both.");
        }
        List<PlanEntry> candidates = new ArrayList<>();
        if (target != null) {
            PlanEntry entry = find(plan, version(target));
            if (entry.isApplied() || !entry.hasFile()) {
                return List.of();
            }
            candidates.add(entry);
        } else {
            var limit = to == null ? null : MigrationFile.numeric(find(plan, version(to)).version());
            for (PlanEntry e : plan.entries()) {
                boolean runnable = e.state() == MigrationState.PENDING || e.state() == MigrationState.OUT_OF_ORDER;
                if (runnable && (limit == null || MigrationFile.numeric(e.version()).compareTo(limit) <= 0)) {
                    candidates.add(e);
                }
            }
        }
        List<PlanEntry> outOfOrder = candidates.stream().filter(e -> e.state() == MigrationState.OUT_OF_ORDER).toList();
        if (!outOfOrder.isEmpty() && !includeAll) {
            String newest = plan.entries().stream().filter(PlanEntry::isApplied).map(PlanEntry::version)
                    .max(MigrationFile.VERSION_ORDER).orElse("?");
            StringBuilder names = new StringBuilder();
            outOfOrder.forEach(e -> names.append(names.length() == 0 ? "" : ", ").append(e.file().fileName()));
            throw PgshiftException.migration("Refusing to run " + names + ": older than the newest applied migration ("
                    + newest + "), so it would run after migrations that were written after it. If that is what you "
                    + "want, run: pgshift " + command + (target != null ? " " + target : "") + " --include-all");
        }
        return candidates;
    }
}
