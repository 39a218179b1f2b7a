package pgshift.command;

import pgshift.migration.MigrationState;
import pgshift.migration.Plan;

/** Warns about applied files that were edited or deleted; they never block a run. */
final class Drift {

    private Drift() {
    }

    static void warn(Context ctx, Plan plan) {
        plan.inState(MigrationState.MODIFIED).forEach(e -> ctx.console().warn(e.file().fileName()
                + " was edited after it was applied; the edit is not applied (see status)."));
        plan.inState(MigrationState.MISSING).forEach(e -> ctx.console().warn("migration " + e.version()
                + (e.name().isEmpty() ? "" : "_" + e.name()) + " is in the ledger but its file is missing."));
    }
}
