package pgshift.config;

import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.sql.SQLException;

import org.postgresql.util.GT;

/** Says why a connection could not be opened, in one paragraph that never shows the password. */
public final class ConnectFailure {

    private static final String CHECK = "Check that the server is running and reachable and that the URL, "
            + "user and password are right";

    /* pgjdbc's messages when loginTimeout ends the attempt or an interrupt (Ctrl-C in the shell) stops
       the wait for it, translated as the driver translates them. */
    private static final String LOGIN_TIMED_OUT = GT.tr("Connection attempt timed out.");
    private static final String INTERRUPTED = GT.tr("Interrupted while attempting to connect.");

    private ConnectFailure() {
    }

    /**
     * "Cannot connect to URL (from SOURCE): why. Check that ...".
     *
     * @param source where the URL came from ("DATABASE_URL in .env"), or null
     */
    public static String message(DatabaseUrl url, String source, SQLException cause) {
        if (hasCause(cause, INTERRUPTED)) {
            return Sentences.join("Stopped connecting to " + url.masked() + ": interrupted before "
                    + url.address() + " answered");
        }
        return Sentences.join("Cannot connect to " + url.masked() + (source == null ? "" : " (from " + source + ")")
                + ": " + reason(url, cause), CHECK);
    }

    private static String reason(DatabaseUrl url, SQLException cause) {
        if (LOGIN_TIMED_OUT.equals(cause.getMessage())) {
            return noAnswer(url, url.loginTimeoutSeconds(), "login timeout");
        }
        if (hasCause(cause, SocketTimeoutException.class)) {
            return noAnswer(url, url.connectTimeoutSeconds(), "TCP connect timeout");
        }
        // The driver's own words for these two repeat our advice or say nothing ("The connection attempt failed.").
        if (hasCause(cause, UnknownHostException.class)) {
            return "the host name " + url.host() + " cannot be resolved";
        }
        ConnectException refused = causeOf(cause, ConnectException.class);
        if (refused != null) {
            return "the connection to " + url.address() + " failed: " + refused.getMessage();
        }
        return Secrets.mask(String.valueOf(cause.getMessage())).replace('\n', ' ').strip();
    }

    private static String noAnswer(DatabaseUrl url, int seconds, String which) {
        return "no answer from " + url.address() + " within " + seconds + " s (" + which
                + "; set connect_timeout=N in the URL to change it)";
    }

    private static boolean hasCause(Throwable e, Class<? extends Throwable> type) {
        return causeOf(e, type) != null;
    }

    private static <T extends Throwable> T causeOf(Throwable e, Class<T> type) {
        for (Throwable c = e.getCause(); c != null && c != c.getCause(); c = c.getCause()) {
            if (type.isInstance(c)) {
                return type.cast(c);
            }
        }
        return null;
    }

    private static boolean hasCause(Throwable e, String message) {
        for (Throwable c = e.getCause(); c != null && c != c.getCause(); c = c.getCause()) {
            if (message.equals(c.getMessage())) {
                return true;
            }
        }
        return false;
    }
}
