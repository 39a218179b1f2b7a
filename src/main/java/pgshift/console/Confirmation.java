package pgshift.console;

import pgshift.failure.PgshiftException;
import pgshift.config.DatabaseUrl;

/**
 * The guard against changing a remote database by accident: local targets go ahead, remote
 * ones need --yes or a typed "yes" on a terminal.
 */
public final class Confirmation {

    private Confirmation() {
    }

    /** Returns when the change may go ahead; throws a usage error when it may not. */
    public static void require(Console console, DatabaseUrl url, boolean yes, String action) {
        if (url.isLocal() || yes) {
            return;
        }
        String where = "database " + url.database() + " on REMOTE host " + url.host() + ":" + url.port();
        if (!console.canAsk()) {
            throw PgshiftException.usage("Refusing to " + action + " on " + where + " without confirmation: stdin is "
                    + "not a terminal. Pass --yes to confirm.");
        }
        String answer = console.ask("About to " + action + " on " + where + ". Type yes to continue: ");
        if (answer == null || !answer.trim().equalsIgnoreCase("yes")) {
            throw PgshiftException.usage("Cancelled: nothing was changed on " + where + ".");
        }
    }
}
