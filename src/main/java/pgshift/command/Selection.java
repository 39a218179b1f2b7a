package pgshift.command;

import java.util.List;
import java.util.Optional;
import java.util.function.Function;

import pgshift.migration.Plan;
import pgshift.migration.PlanEntry;

/** The commands' way into {@link Plan}'s selection rules: versions match exactly, as text. */
final class Selection {

    private Selection() {
    }

    /** A version as typed: "20251112000001", or a file name or path whose name carries it. */
    static String version(String arg) {
        return Plan.versionOf(arg);
    }

    /** The entry with exactly this version; see {@link #matching} for a number-equal one. */
    static Optional<PlanEntry> lookup(Plan plan, String version) {
        return matching(plan.entries(), PlanEntry::version, version);
    }

    /**
     * The item with exactly this version: "2" does not find "002" (the ledger's key is text). When
     * none has it but one has the same number, a usage error says which ("did you mean 002?").
     */
    static <T> Optional<T> matching(List<T> items, Function<T, String> versionOf, String version) {
        return Plan.matching(items, versionOf, version);
    }

    /** The entry named by a version or file; a usage error (with "did you mean") when there is none. */
    static PlanEntry find(Plan plan, String versionOrFile) {
        return plan.find(versionOrFile);
    }

    /** See {@link Plan#select}. */
    static List<PlanEntry> toApply(Plan plan, String target, String to, boolean includeAll, String command) {
        return plan.select(target, to, includeAll, command);
    }
}
