package pgshift.db;

import java.sql.SQLException;

import pgshift.failure.PgshiftException;
import pgshift.config.Secrets;

/**
 * Says what really happened when pgshift's own work around a migration file failed (the server
 * went away, the ledger could not be written), naming the file: never a guess about permissions.
 */
public final class RunFailures {

    private RunFailures() {
    }

    /**
     * @param displayPath the file that was being applied
     * @param phase       "running" (its statements) or "recording" (its ledger row)
     */
    public static PgshiftException internal(String displayPath, String phase, SQLException e) {
        String state = e.getSQLState() == null ? "" : e.getSQLState();
        String why = Secrets.mask(oneLine(e.getMessage())) + (state.isEmpty() ? "" : " (SQLSTATE " + state + ")");
        // (oneLine drops the driver's own final full stop, so the sentence below ends with one.)
        if (isConnectionLost(e)) {
            return PgshiftException.config("The connection to the server was lost while " + phase + " " + displayPath
                    + ": " + why + ". The server rolls back an open transaction when its connection ends, so nothing "
                    + "from that file was applied (unless it runs without a transaction: see status). Check the "
                    + "server, then run apply again.", e);
        }
        String what = switch (state) {
            case "42501" -> " The role lacks a privilege pgshift needs for the ledger (schema supabase_migrations): "
                    + "run migrations as the schema's owner, or grant USAGE and INSERT/DELETE on it.";
            case "42703", "42P01" -> " The ledger tables do not have the shape pgshift expects; compare them with "
                    + "the README (section History).";
            case "23505" -> " Another run recorded the same version at the same time.";
            default -> "";
        };
        return PgshiftException.migration(displayPath + (phase.equals("recording")
                ? " ran, but writing its ledger row failed: " : " failed: ") + why + "." + what
                + " Rolled back: nothing from it was applied and no history row was written.");
    }

    /** The server or the network ended the session: terminated backend, restart, broken socket. */
    public static boolean isConnectionLost(SQLException e) {
        String state = e.getSQLState();
        return state != null && (state.startsWith("08") || state.equals("57P01") || state.equals("57P02")
                || state.equals("57P03"));
    }

    private static String oneLine(String s) {
        String line = String.valueOf(s).replace('\n', ' ').trim();
        return line.endsWith(".") ? line.substring(0, line.length() - 1) : line;
    }
}
