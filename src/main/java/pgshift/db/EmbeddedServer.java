package pgshift.db;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

import pgshift.failure.PgshiftException;
import pgshift.config.DatabaseUrl;

/**
 * The default database when none is configured: a real PostgreSQL server (binaries from Maven)
 * whose data lives in {@code .pgshift/} of the current folder, kept between runs.
 */
public final class EmbeddedServer implements AutoCloseable {

    private final EmbeddedPostgres postgres;
    private final DatabaseUrl url;

    private EmbeddedServer(EmbeddedPostgres postgres, DatabaseUrl url) {
        this.postgres = postgres;
        this.url = url;
    }

    /**
     * Starts the server on the data in {@code home/data}; when another pgshift already runs it
     * (a shell in another terminal), connects to that one instead of failing on its lock.
     */
    public static EmbeddedServer start(Path home) {
        Path data = home.resolve("data");
        DatabaseUrl running = runningServer(data);
        if (running != null) {
            return new EmbeddedServer(null, running);
        }
        try {
            Files.createDirectories(home);
            EmbeddedPostgres postgres = EmbeddedPostgres.builder()
                    .setDataDirectory(data)
                    .setCleanDataDirectory(false)
                    .setPGStartupWait(Duration.ofSeconds(60))
                    .start();
            return new EmbeddedServer(postgres, localUrl(postgres.getPort()));
        } catch (IOException | RuntimeException e) {
            throw PgshiftException.config("Cannot start the embedded PostgreSQL in " + home + ": " + rootMessage(e)
                    + ". Delete " + data + " to start from an empty database, or configure your own with "
                    + "DATABASE_URL or --database-url.", e);
        }
    }

    public DatabaseUrl url() {
        return url;
    }

    /** Reads the port of a live server from PostgreSQL's own postmaster.pid, or null. */
    private static DatabaseUrl runningServer(Path data) {
        Path pidFile = data.resolve("postmaster.pid");
        try {
            if (!Files.isRegularFile(pidFile)) {
                return null;
            }
            List<String> lines = Files.readAllLines(pidFile);
            if (lines.size() < 4) {
                return null;
            }
            long pid = Long.parseLong(lines.get(0).trim());
            boolean alive = ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
            return alive ? localUrl(Integer.parseInt(lines.get(3).trim())) : null;
        } catch (IOException | NumberFormatException e) {
            return null;
        }
    }

    private static DatabaseUrl localUrl(int port) {
        return new DatabaseUrl("localhost", port, "postgres", "postgres", null, Map.of());
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null) {
            t = t.getCause();
        }
        return String.valueOf(t.getMessage());
    }

    @Override
    public void close() {
        if (postgres == null) {
            return;
        }
        try {
            postgres.close();
        } catch (IOException e) {
            // The server process is a child of ours: it stops when we exit in any case.
        }
    }
}
