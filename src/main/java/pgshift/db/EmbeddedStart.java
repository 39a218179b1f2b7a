package pgshift.db;

import java.io.File;
import java.lang.ProcessBuilder.Redirect;
import java.nio.file.Path;
import java.time.Duration;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/**
 * The small process that starts the embedded PostgreSQL and exits, leaving the server running:
 * {@link EmbeddedServer} runs it in a session of its own, so the Ctrl-C a terminal sends to pgshift
 * while the server starts reaches neither it nor initdb, pg_ctl and the server.
 * Arguments: the data folder and the log file; exit status 0 once the server accepts connections.
 */
public final class EmbeddedStart {

    /** How long the server may take to accept connections after pg_ctl started it. */
    static final Duration STARTUP_WAIT = Duration.ofSeconds(90);
    /** The line the log gets when the start failed, followed by why. */
    static final String FAILED = "pgshift: the embedded PostgreSQL did not start: ";

    private EmbeddedStart() {
    }

    public static void main(String[] args) {
        Path data = Path.of(args[0]);
        File log = new File(args[1]);
        try {
            EmbeddedPostgres.builder()
                    .setDataDirectory(data)
                    .setCleanDataDirectory(false)
                    // pgshift stops the server when its last user is done; a hook here would stop it
                    // as soon as this process ends.
                    .setRegisterShutdownHook(false)
                    .setOutputRedirector(Redirect.appendTo(log))
                    .setErrorRedirector(Redirect.appendTo(log))
                    .setPGStartupWait(STARTUP_WAIT)
                    .start();
            System.exit(0);
        } catch (Throwable e) {
            Throwable root = e;
            while (root.getCause() != null) {
                root = root.getCause();
            }
            System.err.println(FAILED + root.getMessage());
            System.exit(1);
        }
    }
}
