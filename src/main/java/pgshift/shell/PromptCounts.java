package pgshift.shell;

import java.util.Map;

import pgshift.migration.MigrationState;

/** The prompt's count of what needs attention: "2 pending", then drafts, modified, missing, out-of-order when there are any. */
final class PromptCounts {

    private PromptCounts() {
    }

    static String of(Map<MigrationState, Integer> counts) {
        StringBuilder out = new StringBuilder().append(counts.getOrDefault(MigrationState.PENDING, 0)).append(" pending");
        for (MigrationState state : new MigrationState[] {MigrationState.DRAFT, MigrationState.MODIFIED, MigrationState.MISSING, MigrationState.OUT_OF_ORDER}) {
            int n = counts.getOrDefault(state, 0);
            if (n > 0) {
                out.append(", ").append(n).append(' ').append(state.label());
            }
        }
        return out.toString();
    }
}
