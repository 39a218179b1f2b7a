package pgshift.migration;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/** Files versus ledger rows: every migration with its state, in version order. Pure, no I/O of its own. */
public record Plan(List<PlanEntry> entries) {

    /**
     * @param digestOf     the {@link StatementsDigest} of a file; only asked for applied files
     *                     whose row has statements, to detect edits
     * @param statementsOf the file's statements as the ledger would record them, and
     * @param recordedOf   the ledger's statements for a version: both only asked for when the
     *                     digests differ, to tell an edit from whitespace and comments
     */
    public static Plan build(List<MigrationFile> files, List<LedgerRow> rows,
                             Function<MigrationFile, String> digestOf,
                             Function<MigrationFile, List<String>> statementsOf,
                             Function<String, List<String>> recordedOf) {
        Map<String, LedgerRow> byVersion = new HashMap<>();
        String newestApplied = null;
        for (LedgerRow row : rows) {
            byVersion.put(row.version(), row);
            if (newestApplied == null || MigrationFile.compareNumbers(row.version(), newestApplied) > 0) {
                newestApplied = row.version();
            }
        }
        List<PlanEntry> entries = new ArrayList<>();
        for (MigrationFile file : files) {
            LedgerRow row = byVersion.remove(file.version());
            MigrationState state;
            if (row != null) {
                state = isEdited(row, file, digestOf, statementsOf, recordedOf) ? MigrationState.MODIFIED : MigrationState.APPLIED;
            } else if (newestApplied != null && MigrationFile.compareNumbers(file.version(), newestApplied) < 0) {
                state = MigrationState.OUT_OF_ORDER;
            } else {
                state = MigrationState.PENDING;
            }
            entries.add(new PlanEntry(file.version(), file.name(), state, file, row));
        }
        for (LedgerRow row : byVersion.values()) {
            entries.add(new PlanEntry(row.version(), row.name(), MigrationState.MISSING, null, row));
        }
        entries.sort((a, b) -> MigrationFile.VERSION_ORDER.compare(a.version(), b.version()));
        return new Plan(List.copyOf(entries));
    }

    private static boolean isEdited(LedgerRow row, MigrationFile file, Function<MigrationFile, String> digestOf,
                                    Function<MigrationFile, List<String>> statementsOf,
                                    Function<String, List<String>> recordedOf) {
        if (row.statementsDigest() == null) {
            return false; // Nothing recorded to compare with: old ledgers, or rows written by hand.
        }
        if (row.statementsDigest().equals(digestOf.apply(file))) {
            return false;
        }
        List<String> fileStatements = statementsOf.apply(file);
        List<String> recorded = recordedOf.apply(row.version());
        return recorded == null
                || !StatementNormalizer.normalizeAll(recorded).equals(StatementNormalizer.normalizeAll(fileStatements));
    }

    public List<PlanEntry> inState(MigrationState state) {
        return entries.stream().filter(e -> e.state() == state).toList();
    }

    public Map<MigrationState, Integer> counts() {
        Map<MigrationState, Integer> counts = new EnumMap<>(MigrationState.class);
        for (MigrationState s : MigrationState.values()) {
            counts.put(s, 0);
        }
        for (PlanEntry e : entries) {
            counts.merge(e.state(), 1, Integer::sum);
        }
        return counts;
    }

    /** True when status --check should fail: anything pending, modified, missing or out of order. */
    public boolean hasProblems() {
        return entries.stream().anyMatch(e -> e.state() != MigrationState.APPLIED);
    }
}
