package pgshift.migration;

/** One line of the plan: a file, a ledger row, or both, and the state that follows. */
public record PlanEntry(String version, String name, MigrationState state, MigrationFile file, LedgerRow row) {

    public boolean hasFile() {
        return file != null;
    }

    public boolean isApplied() {
        return row != null;
    }

    /** Pending, a draft or out of order: what apply can run (out-of-order ones only with --include-all). */
    public boolean isRunnable() {
        return isNew() || state == MigrationState.OUT_OF_ORDER;
    }

    /** Pending or a draft: newer than everything applied, waiting to run. */
    public boolean isNew() {
        return state == MigrationState.PENDING || state == MigrationState.DRAFT;
    }
}
