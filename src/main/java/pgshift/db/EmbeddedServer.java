package pgshift.db;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import pgshift.config.DatabaseUrl;
import pgshift.failure.PgshiftException;

/**
 * The default database when none is configured: a real PostgreSQL server (binaries from Maven)
 * whose data lives in the project's {@code .pgshift/}, kept between runs. The server runs in a
 * session of its own, so a Ctrl-C in the terminal never reaches it; every pgshift of the project
 * shares it, and the last one to finish stops it. A server found stopped is started again.
 */
public final class EmbeddedServer implements AutoCloseable {

    /** How long to wait for another pgshift that is starting or stopping the server. */
    private static final Duration START_LOCK_WAIT = Duration.ofSeconds(150);
    /** Bounds the starter process: its own wait for the server plus the JVM and initdb. */
    private static final Duration STARTER_WAIT = EmbeddedStart.STARTUP_WAIT.plusSeconds(60);
    private static final Duration STOP_WAIT = Duration.ofSeconds(30);
    /* The users lock is the process's; within one JVM (tests, a shell and its commands) it is counted. */
    private static final Map<Path, Integer> USERS_HERE = new HashMap<>();
    private static final Map<Path, FileLock> USERS_LOCKS = new HashMap<>();

    private final Path home;
    private final DatabaseUrl url;

    private EmbeddedServer(Path home, DatabaseUrl url) {
        this.home = home;
        this.url = url;
    }

    /** Starts the server on the data in {@code home/data}, or joins the one another pgshift already runs there. */
    public static EmbeddedServer start(Path home) {
        return start(home, line -> { });
    }

    /** As {@link #start(Path)}, saying on {@code notices} when it waits for another pgshift. */
    public static EmbeddedServer start(Path folder, Consumer<String> notices) {
        Path home = folder.toAbsolutePath().normalize(); // one key per folder for this JVM's count of users
        try {
            Files.createDirectories(home);
        } catch (IOException e) {
            throw PgshiftException.config("Cannot create " + home + " for the embedded PostgreSQL: " + e.getMessage(), e);
        }
        ServerLocks locks = new ServerLocks(home);
        synchronized (EmbeddedServer.class) {
            FileLock starting = locks.starting(START_LOCK_WAIT, notices);
            try {
                join(home, locks);
                try {
                    return new EmbeddedServer(home, localUrl(runningOrStart(home)));
                } catch (RuntimeException e) {
                    leave(home);
                    throw e;
                }
            } finally {
                ServerLocks.release(starting);
            }
        }
    }

    public DatabaseUrl url() {
        return url;
    }

    /** The port of the server on {@code home/data}: the running one's, or a new one's. */
    private static int runningOrStart(Path home) {
        Path data = home.resolve("data");
        Postmaster running = Postmaster.read(data);
        if (running != null && running.isPostgres() && running.answers()) {
            return running.port();
        }
        if (running != null && running.alive() && running.isPostgres()) {
            throw PgshiftException.config("A PostgreSQL server (pid " + running.pid() + ") runs on " + data
                    + " but does not answer on port " + running.port() + ". Wait for it to finish starting or "
                    + "stopping and run the command again, or stop it (kill -INT " + running.pid() + ").");
        }
        if (running != null && running.alive()) {
            // The pid is another program's now (the server died, the pid was reused): the lock
            // file is stale, and PostgreSQL would refuse to start while it names a live process.
            deleteQuietly(data.resolve("postmaster.pid"));
        }
        launch(home, data);
        Postmaster started = Postmaster.read(data);
        if (started == null) {
            throw PgshiftException.config("The embedded PostgreSQL in " + home + " started but left no postmaster.pid in "
                    + data + "; see " + home.resolve("server.log") + ", and run the command again.");
        }
        return started.port();
    }

    /** Runs {@link EmbeddedStart} in a new session (setsid) and waits for it, bounded. */
    private static void launch(Path home, Path data) {
        Path log = home.resolve("server.log");
        long logSizeBefore = size(log);
        List<String> command = new java.util.ArrayList<>();
        if (Files.isExecutable(Path.of("/usr/bin/setsid"))) {
            command.add("/usr/bin/setsid");
        }
        command.add(ProcessHandle.current().info().command().orElse("java"));
        command.addAll(jvmOptions());
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), EmbeddedStart.class.getName(),
                data.toString(), log.toString()));
        Process starter;
        try {
            starter = new ProcessBuilder(command).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                    .redirectErrorStream(true).start();
        } catch (IOException e) {
            throw PgshiftException.config("Cannot start the embedded PostgreSQL in " + home + ": " + e.getMessage(), e);
        }
        boolean done;
        try {
            done = starter.waitFor(STARTER_WAIT.toSeconds(), TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            // The starter runs on in its own session: the next command finds the server running.
            throw PgshiftException.cancelled("Cancelled while the embedded PostgreSQL was starting; it finishes "
                    + "starting in the background and the next command uses it.");
        }
        if (!done) {
            throw PgshiftException.config("The embedded PostgreSQL in " + home + " did not start within "
                    + STARTER_WAIT.toSeconds() + " s (a slow or full disk?); see " + log + ". Run the command again.");
        }
        if (starter.exitValue() != 0) {
            throw StartFailure.of(home, data, log, readFrom(log, logSizeBefore));
        }
    }

    /**
     * This JVM's -XX options for the starter: the launcher's fast-start flags and class cache (same
     * jar, so the cache fits) start it in about half the time; not a cache being made by a training run.
     */
    private static List<String> jvmOptions() {
        return java.lang.management.ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
                .filter(o -> o.startsWith("-XX:") || o.startsWith("-Xlog:") || o.startsWith("-Xshare"))
                .filter(o -> !o.startsWith("-XX:ArchiveClassesAtExit") && !o.startsWith("-XX:AOTCacheOutput"))
                .toList();
    }

    /** Counts this process in as a user of the server (the OS lock once per JVM). Call holding the start lock. */
    private static void join(Path home, ServerLocks locks) {
        int users = USERS_HERE.getOrDefault(home, 0);
        if (users == 0) {
            USERS_LOCKS.put(home, locks.joinUsers());
        }
        USERS_HERE.put(home, users + 1);
    }

    /** Counts this process out; true when it was this JVM's last use. */
    private static boolean leave(Path home) {
        int users = USERS_HERE.getOrDefault(home, 1) - 1;
        if (users > 0) {
            USERS_HERE.put(home, users);
            return false;
        }
        USERS_HERE.remove(home);
        ServerLocks.release(USERS_LOCKS.remove(home));
        return true;
    }

    /** Done with the server, leaving it running: the next pgshift of the project uses it (and stops it when done). */
    public void leave() {
        synchronized (EmbeddedServer.class) {
            leave(home);
        }
    }

    /** Stops the server when no other pgshift uses it; otherwise leaves it to them. */
    @Override
    public void close() {
        ServerLocks locks = new ServerLocks(home);
        synchronized (EmbeddedServer.class) {
            FileLock starting;
            try {
                starting = locks.starting(STOP_WAIT, line -> { });
            } catch (PgshiftException e) {
                leave(home); // another pgshift is busy with the server: it is not ours to stop
                return;
            }
            try {
                if (!leave(home)) {
                    return;
                }
                FileLock alone = locks.aloneOrNull();
                if (alone != null) {
                    try {
                        stop(home.resolve("data"));
                    } finally {
                        ServerLocks.release(alone);
                    }
                }
            } finally {
                ServerLocks.release(starting);
            }
        }
    }

    /** A fast shutdown (SIGINT, as pg_ctl stop -m fast), waited for; the data is safe either way. */
    private static void stop(Path data) {
        Postmaster running = Postmaster.read(data);
        if (running == null || !running.alive() || !running.isPostgres()) {
            return;
        }
        try {
            new ProcessBuilder("kill", "-INT", Long.toString(running.pid())).start().waitFor(10, TimeUnit.SECONDS);
            // The server removes postmaster.pid as its last step; its process lingers until init reaps
            // it, which took 2 s on a container's init (measured), so the file is what is waited for
            // (a server that died leaves the file: then until its process is gone). Still stopping
            // after the wait: the next start finds it gone, or running and answering.
            long deadline = System.nanoTime() + STOP_WAIT.toNanos();
            while (running.equals(Postmaster.read(data)) && running.alive() && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
        } catch (IOException e) {
            // Cannot signal it: it keeps running and the next pgshift uses it.
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static DatabaseUrl localUrl(int port) {
        return new DatabaseUrl("localhost", port, "postgres", "postgres", null, Map.of());
    }

    private static long size(Path file) {
        try {
            return Files.exists(file) ? Files.size(file) : 0;
        } catch (IOException e) {
            return 0;
        }
    }

    private static String readFrom(Path file, long offset) {
        try {
            byte[] all = Files.readAllBytes(file);
            int from = (int) Math.min(offset, all.length);
            return new String(all, from, all.length - from, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            // PostgreSQL then says what is wrong with it, in the failure report.
        }
    }

    /** What PostgreSQL's postmaster.pid says: the server's pid and port. */
    record Postmaster(long pid, int port) {

        /** The lock file's first and fourth lines, or null when there is none or it cannot be read. */
        static Postmaster read(Path data) {
            try {
                List<String> lines = Files.readAllLines(data.resolve("postmaster.pid"));
                return lines.size() < 4 ? null
                        : new Postmaster(Long.parseLong(lines.get(0).trim()), Integer.parseInt(lines.get(3).trim()));
            } catch (IOException | NumberFormatException e) {
                return null;
            }
        }

        boolean alive() {
            return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
        }

        /** Alive and a postgres program (unknown counts as one: the process may be another user's). */
        boolean isPostgres() {
            return ProcessHandle.of(pid).filter(ProcessHandle::isAlive)
                    .map(p -> p.info().command().map(c -> c.endsWith("postgres")).orElse(true)).orElse(false);
        }

        boolean answers() {
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress("localhost", port), 2000);
                return true;
            } catch (IOException e) {
                return false;
            }
        }
    }
}
