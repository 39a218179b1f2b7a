package pgshift.engine;

import java.sql.SQLException;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;

import pgshift.db.Executor;
import pgshift.db.StatementFailure;
import pgshift.failure.PgshiftException;
import pgshift.migration.MigrationScript;
import pgshift.migration.MigrationState;
import pgshift.migration.PlanEntry;

/**
 * Which neighbouring files of a replay share one transaction, and running them so (see
 * {@link Migrator.Request#together}); a group that fails is left for the runner to run file by file.
 */
final class SharedTransactions {

    /**
     * Files per shared transaction: the 500 files dry-run replays in bench/run.sh dryrun commit 11
     * times instead of 500, and the shadow is made and filled in a median 3.9 s against 4.6 s
     * (paired runs at load average 7-8, fsync off). A failed group runs again one by one, so a
     * bigger group saves fewer commits than it may cost again.
     */
    private static final int GROUP_FILES = 50;
    /** Bigger files run alone: their ledger row may go through COPY, and one is already worth its commit. */
    private static final long GROUP_FILE_CHARS = 64 * 1024;

    private SharedTransactions() {
    }

    /**
     * Where the group starting at {@code from} ends (exclusive): the entries {@code together}
     * accepts, split and kept, that run in a transaction, leave the session as they found it and
     * have a small ledger row; at most {@link #GROUP_FILES}, at least the one at {@code from}.
     */
    static int end(List<PlanEntry> todo, List<MigrationScript> scripts, int from, Predicate<PlanEntry> together) {
        int end = from;
        while (end < todo.size() && end - from < GROUP_FILES && together.test(todo.get(end))
                && todo.get(end).state() != MigrationState.MODIFIED && scripts.get(end) != null
                && !scripts.get(end).runsWithoutTransaction() && !scripts.get(end).mayChangeSession()
                && scripts.get(end).chars() <= GROUP_FILE_CHARS) {
            end++;
        }
        return Math.max(end, from + 1);
    }

    /**
     * Applies the entries from {@code from} to {@code end} in one transaction and tells the
     * listener; false when they failed and were rolled back, for the runner to run them one by one
     * (an enum value added in one and used in the next fails with 55P04 in one transaction, and
     * only that run can say which file failed where). A cancel is thrown, not retried.
     */
    static boolean apply(Executor executor, List<PlanEntry> todo, List<MigrationScript> scripts, int from, int end,
                         MigrationListener listener, BooleanSupplier cancelled) throws SQLException {
        long millis;
        try {
            millis = executor.applyTogether(scripts.subList(from, end));
        } catch (StatementFailure | SQLException | PgshiftException e) {
            if (cancelled.getAsBoolean()) {
                throw PgshiftException.cancelled("Cancelled."); // Migrator.run says what was cancelled
            }
            return false;
        }
        for (int i = from; i < end; i++) {
            listener.applied(todo.get(i), Executor.Applied.together(scripts.get(i).statements().size(), millis, end - from));
            scripts.set(i, null);
        }
        return true;
    }
}
