package pgshift.migration;

import java.time.OffsetDateTime;

/**
 * One row of the Supabase ledger, joined with pgshift's side row when there is one.
 *
 * @param statementsDigest {@link StatementsDigest} of the recorded statements, computed by the
 *                         server; null when the row has no statements (old Supabase CLI versions)
 * @param origin     "executed", "marked", or null when another tool wrote the row
 */
public record LedgerRow(String version, String name, String statementsDigest, OffsetDateTime appliedAt,
                        String appliedBy, Long executionMs, String origin) {

    public static final String EXECUTED = "executed";
    public static final String MARKED = "marked";

    /** How the row came to be, for people: executed, marked, or unknown (written by another tool). */
    public String originLabel() {
        return origin == null ? "unknown" : origin;
    }
}
