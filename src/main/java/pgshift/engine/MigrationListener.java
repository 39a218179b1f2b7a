package pgshift.engine;

import java.util.List;

import pgshift.db.Executor;
import pgshift.db.Rehearsal;
import pgshift.migration.Plan;
import pgshift.migration.PlanEntry;

/**
 * What a {@link Migrator} run reports, in order: the plan, the files it will run, each file's
 * outcome. The runner prints nothing; commands, the shell and watch decide what to show.
 */
public interface MigrationListener {

    /** Another session holds the migration lock; the run waits for it. */
    default void waitingForLock(String message) {
    }

    /** The plan the run works from, made under the lock (edited or missing files are only reported). */
    default void planned(Plan plan) {
    }

    /** The files about to run, before anything changes; throw to stop the run (a refused confirmation). */
    default void confirm(List<PlanEntry> todo) {
    }

    /** Something the user must know before it happens (a file running without a transaction). */
    default void notice(String message) {
    }

    /** A file was applied (or, for a modified one, applied again) and recorded. */
    default void applied(PlanEntry entry, Executor.Applied applied) {
    }

    /** A file was rehearsed (dry-run); a failed rehearsal ends the run. */
    default void rehearsed(PlanEntry entry, Rehearsal.Outcome outcome) {
    }

    /** A file failed and was rolled back (or, without a transaction, stopped); later files do not run. */
    default void failed(PlanEntry entry) {
    }
}
