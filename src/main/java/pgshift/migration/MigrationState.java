package pgshift.migration;

/** Where a migration stands, comparing the folder with the ledger. */
public enum MigrationState {
    APPLIED("applied"),
    PENDING("pending"),
    /**
     * Pending, but the file holds no statement yet (empty, or only comments, as {@code new} writes it):
     * watch waits for its SQL; apply records it with no statements, as the Supabase CLI does.
     */
    DRAFT("draft"),
    /** Applied, but the file's statements now differ from the recorded ones (beyond whitespace and comments). */
    MODIFIED("modified"),
    /** In the ledger, but no file has its version. */
    MISSING("missing"),
    /** Pending, but older than the newest applied version: apply refuses it without --include-all. */
    OUT_OF_ORDER("out-of-order"),
    /**
     * Not in the ledger, but a ledger row has the same number with other leading zeros (file 2_seed.sql,
     * row 002): most likely a renamed applied file. Apply refuses to run anything until it is resolved.
     */
    CONFLICT("conflict");

    private final String label;

    MigrationState(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }
}
