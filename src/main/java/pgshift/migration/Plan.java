package pgshift.migration;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

import pgshift.failure.PgshiftException;

/**
 * Files versus ledger rows: every migration with its state, in run order, and the rules that
 * follow from it (what is runnable, the newest applied version, which migrations a selection
 * picks). Pure, no I/O of its own.
 *
 * @param conflicts one message per file whose version differs from a ledger row's only by leading
 *                  zeros; while there are any, {@link #requireConsistent()} refuses
 */
public record Plan(List<PlanEntry> entries, List<String> conflicts) {

    public Plan {
        entries = List.copyOf(entries);
        conflicts = List.copyOf(conflicts);
    }

    /**
     * @param digestOf     the {@link StatementsDigest} of a file; only asked for applied files
     *                     whose row has statements, to detect edits
     * @param statementsOf the file's statements as the ledger would record them, and
     * @param recordedOf   the ledger's statements for a version: both only asked for when the
     *                     digests differ, to tell an edit from whitespace and comments
     * @param isDraft      whether a pending file has no statement yet (see {@link Drafts})
     */
    public static Plan build(List<MigrationFile> files, List<LedgerRow> rows,
                             Function<MigrationFile, String> digestOf,
                             Function<MigrationFile, List<String>> statementsOf,
                             Function<String, List<String>> recordedOf,
                             java.util.function.Predicate<MigrationFile> isDraft) {
        Map<String, LedgerRow> byVersion = new HashMap<>();
        Map<String, LedgerRow> byNumber = new HashMap<>();
        String newestApplied = null;
        for (LedgerRow row : rows) {
            byVersion.put(row.version(), row);
            byNumber.putIfAbsent(MigrationFile.numericKey(row.version()), row);
            if (newestApplied == null || MigrationFile.VERSION_ORDER.compare(row.version(), newestApplied) > 0) {
                newestApplied = row.version();
            }
        }
        List<MigrationFile> inRunOrder = new ArrayList<>(files);
        inRunOrder.sort(MigrationFile.RUN_ORDER);
        List<PlanEntry> entries = new ArrayList<>();
        List<String> conflicts = new ArrayList<>();
        for (MigrationFile file : inRunOrder) {
            LedgerRow row = byVersion.remove(file.version());
            LedgerRow twin = row == null ? byNumber.get(MigrationFile.numericKey(file.version())) : null;
            MigrationState state;
            if (row != null) {
                state = isEdited(row, file, digestOf, statementsOf, recordedOf) ? MigrationState.MODIFIED : MigrationState.APPLIED;
            } else if (twin != null && MigrationFile.sameNumber(file.version(), twin.version())) {
                state = MigrationState.CONFLICT;
                conflicts.add(conflict(file, twin));
            } else if (newestApplied != null && MigrationFile.VERSION_ORDER.compare(file.version(), newestApplied) < 0) {
                state = MigrationState.OUT_OF_ORDER;
            } else {
                state = isDraft.test(file) ? MigrationState.DRAFT : MigrationState.PENDING;
            }
            entries.add(new PlanEntry(file.version(), file.name(), state, file, row));
        }
        for (LedgerRow row : byVersion.values()) {
            entries.add(new PlanEntry(row.version(), row.name(), MigrationState.MISSING, null, row));
        }
        // Files by name (their run order), ledger rows without a file by version: both byte-wise text.
        entries.sort(Comparator.comparing(e -> e.hasFile() ? e.file().fileName() : e.version(), MigrationFile::compareText));
        return new Plan(entries, conflicts);
    }

    private static String conflict(MigrationFile file, LedgerRow twin) {
        String recordedName = twin.name() == null || twin.name().isEmpty() ? file.name() : twin.name();
        Path parent = file.path().getParent();
        String shown = (parent == null || parent.getFileName() == null ? "" : parent.getFileName() + "/") + file.displayName();
        return shown + " has version " + file.version() + ", but the ledger records " + twin.version()
                + ": the same number with other leading zeros, so it would run again as a new migration. "
                + "Rename the file back to " + MigrationFile.printable(twin.version() + "_" + recordedName) + ".sql, "
                + "or, if it is a different migration, give it a version of its own (e.g. a new timestamp).";
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

    /**
     * Refuses (a migration error listing every conflict) when a file and a ledger row differ only
     * by leading zeros. Anything that runs migrations calls it first; status shows the plan as it is.
     */
    public void requireConsistent() {
        if (!conflicts.isEmpty()) {
            throw PgshiftException.migration(String.join("\n", conflicts) + "\nNothing was run.");
        }
    }

    public List<PlanEntry> inState(MigrationState state) {
        return entries.stream().filter(e -> e.state() == state).toList();
    }

    /** Pending and out-of-order entries, in run order. */
    public List<PlanEntry> runnable() {
        return entries.stream().filter(PlanEntry::isRunnable).toList();
    }

    /** The greatest version in the ledger, in text order (the Supabase CLI's ORDER BY version); empty when none. */
    public Optional<String> newestApplied() {
        return entries.stream().filter(PlanEntry::isApplied).map(PlanEntry::version).max(MigrationFile.VERSION_ORDER);
    }

    /** The entry with exactly this version (text, not number: 2 does not find 002). */
    public Optional<PlanEntry> lookup(String version) {
        return entries.stream().filter(e -> e.version().equals(version)).findFirst();
    }

    /**
     * The entry a user named: a version, or a migration file name or path. A version must match
     * exactly; a file's name must be the name of the migration with its version.
     */
    public PlanEntry find(String versionOrFile) {
        String version = versionOf(versionOrFile);
        PlanEntry entry = matching(entries, PlanEntry::version, version).orElseThrow(() -> PgshiftException.usage(
                "No migration has the version " + version + ": neither a file in the folder nor a ledger row. "
                        + "Run status to see the versions."));
        if (!version.equals(versionOrFile) && entry.hasFile()) {
            String given = Path.of(versionOrFile).getFileName().toString();
            if (!given.equals(entry.file().fileName())) {
                throw PgshiftException.usage(MigrationFile.printable(versionOrFile) + " has version " + version
                        + ", but the migration with that version is " + entry.file().displayName()
                        + ". Give the version (" + version + ") or that file's name.");
            }
        }
        return entry;
    }

    /**
     * The item with exactly this version. When none has it but one has the same number with
     * other leading zeros, a usage error says which ("did you mean 002?") rather than nothing.
     */
    public static <T> Optional<T> matching(List<T> items, Function<T, String> versionOf, String version) {
        Optional<T> exact = items.stream().filter(e -> versionOf.apply(e).equals(version)).findFirst();
        if (exact.isEmpty()) {
            items.stream().map(versionOf).filter(v -> MigrationFile.sameNumber(v, version)).findFirst().ifPresent(v -> {
                throw PgshiftException.usage("No migration has version " + version + "; did you mean " + v
                        + "? Versions match exactly, as text, as in the ledger.");
            });
        }
        return exact;
    }

    /** A version as typed: "20251112000001", or a file name or path whose name carries it. */
    public static String versionOf(String versionOrFile) {
        if (versionOrFile.matches("[0-9]+")) {
            return versionOrFile;
        }
        Optional<MigrationFile> file;
        try {
            Path name = Path.of(versionOrFile).getFileName();
            file = name == null ? Optional.empty() : MigrationFile.parse(name);
        } catch (InvalidPathException e) {
            file = Optional.empty();
        }
        return file.map(MigrationFile::version).orElseThrow(() -> PgshiftException.usage("'"
                + MigrationFile.printable(versionOrFile) + "' is neither a version (digits) nor a migration file named "
                + MigrationFile.EXPECTED_FORM + "."));
    }

    /**
     * The runnable entries up to and including the one named (a version or file), in run order:
     * what {@code apply --to} and {@code mark-applied --through} act on.
     */
    public List<PlanEntry> upTo(String versionOrFile) {
        int end = entries.indexOf(find(versionOrFile));
        return entries.subList(0, end + 1).stream().filter(PlanEntry::isRunnable).toList();
    }

    /** What apply and dry-run run; see {@link PlanSelection}. */
    public List<PlanEntry> select(String target, String to, boolean includeAll, String command) {
        return PlanSelection.choose(this, target, to, includeAll, command);
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

    /** True when status --check should fail: anything pending (drafts too), modified, missing, out of order or in conflict. */
    public boolean hasProblems() {
        return entries.stream().anyMatch(e -> e.state() != MigrationState.APPLIED);
    }
}
