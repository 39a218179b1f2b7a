package pgshift.migration;

/** One line of the plan: a file, a ledger row, or both, and the state that follows. */
public record PlanEntry(String version, String name, MigrationState state, MigrationFile file, LedgerRow row) {

    public boolean hasFile() {
        return file != null;
    }

    public boolean isApplied() {
        return row != null;
    }
}
