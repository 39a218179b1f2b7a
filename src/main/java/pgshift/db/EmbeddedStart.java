package pgshift.db;

import java.io.File;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
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
        long logStart = log.length();
        try {
            CompletableFuture<EmbeddedPostgres> start = CompletableFuture.supplyAsync(() -> start(data, log));
            // zonky waits the whole STARTUP_WAIT when pg_ctl has already given up (a bad setting, a
            // port in use): pg_ctl's own verdict in the log ends the wait.
            while (!start.isDone()) {
                if (logSince(log, logStart).contains("pg_ctl: could not start server")) {
                    throw new IllegalStateException("pg_ctl could not start the server");
                }
                Thread.sleep(100);
            }
            EmbeddedPostgres postgres = start.join();
            // Ours, not another server that took the port zonky picked: PostgreSQL's lock file names it.
            EmbeddedServer.Postmaster running = EmbeddedServer.Postmaster.read(data);
            if (running == null || !running.alive() || running.port() != postgres.getPort()) {
                throw new IllegalStateException("the server did not stay up on port " + postgres.getPort());
            }
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

    private static EmbeddedPostgres start(Path data, File log) {
        try {
            return EmbeddedPostgres.builder()
                    .setDataDirectory(data)
                    .setCleanDataDirectory(false)
                    // pgshift stops the server when its last user is done; a hook here would stop it
                    // as soon as this process ends.
                    .setRegisterShutdownHook(false)
                    .setOutputRedirector(Redirect.appendTo(log))
                    .setErrorRedirector(Redirect.appendTo(log))
                    .setPGStartupWait(STARTUP_WAIT)
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String logSince(File log, long offset) {
        try (RandomAccessFile in = new RandomAccessFile(log, "r")) {
            long length = in.length();
            if (length <= offset) {
                return "";
            }
            byte[] bytes = new byte[(int) Math.min(length - offset, 1 << 20)];
            in.seek(offset);
            in.readFully(bytes);
            return new String(bytes, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }
}
