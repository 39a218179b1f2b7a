package pgshift.db;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Watches one running migration file from a second connection: says which session holds the lock
 * the file's statement waits for, and cancels the statement when the wait passes the table-lock
 * timeout, so a DDL never queues silently (and queues the app's queries behind it) forever.
 *
 * <p>Use: read the file's backend pid (SELECT pg_backend_pid(), inside the file's transaction when
 * a pooler is in between), then
 * {@code try (LockWaitWatch w = LockWaitWatch.start(opener, pid, timeout, notices)) { run the file }}
 * and on failure append {@code w.explain(error)} when it is not null.
 *
 * <p>The second connection is opened only once the file has run for {@link #REPORT_AFTER}: most
 * files end sooner and never cost one. It is closed by {@link #close}, which never throws.
 */
public final class LockWaitWatch implements AutoCloseable {

    /** The table-lock timeout when the user sets none. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(60);

    /** How long a lock wait stays quiet: shorter waits are normal and end by themselves. */
    static final Duration REPORT_AFTER = Duration.ofSeconds(2);

    /** Each poll reads pg_locks, which takes the lock manager's partition locks: twice a second is enough. */
    private static final long POLL_MILLIS = 500;

    private static final long CLOSE_WAIT_MILLIS = 5_000;

    /**
     * Starts each watch's thread once its file has run for {@link #REPORT_AFTER}: most files end
     * sooner, so a run of 1,000 files starts no thread at all (a thread per file cost about 0.1 ms
     * a file, measured with bench/run.sh apply 1000).
     */
    private static final ScheduledExecutorService LATER = Executors.newSingleThreadScheduledExecutor(task -> {
        Thread timer = new Thread(task, "pgshift-lock-watch-timer");
        timer.setDaemon(true);
        return timer;
    });
    private static final Logger LOG = LoggerFactory.getLogger(LockWaitWatch.class);

    private final Supplier<Connection> opener;
    private final int pid;
    private final Duration timeout;
    private final Consumer<String> notices;
    private final Object monitor = new Object();
    private final Thread thread;
    private boolean stopping; // guarded by monitor
    private volatile Connection conn;
    private volatile LockWait current;
    private volatile LockWait lastBlocked;
    private volatile boolean timedOut;
    private ScheduledFuture<?> starting;

    private LockWaitWatch(Supplier<Connection> opener, int pid, Duration timeout, Consumer<String> notices) {
        this.opener = opener;
        this.pid = pid;
        this.timeout = timeout;
        this.notices = notices;
        this.thread = new Thread(this::run, "pgshift-lock-watch-" + pid);
        thread.setDaemon(true);
    }

    /**
     * Starts watching backend {@code pid}; {@code opener} gives the second connection when it is
     * needed, {@code notices} hears once who blocks the file, and after {@code timeout} of waiting
     * for one lock the statement is cancelled (SQLSTATE 57014), so the file rolls back. A
     * CONCURRENTLY operation waiting for older transactions is named but not cancelled.
     */
    public static LockWaitWatch start(Supplier<Connection> opener, int pid, Duration timeout, Consumer<String> notices) {
        LockWaitWatch watch = new LockWaitWatch(opener, pid, timeout, notices);
        watch.starting = LATER.schedule(watch.thread::start, Math.min(REPORT_AFTER.toMillis(), timeout.toMillis()),
                TimeUnit.MILLISECONDS);
        return watch;
    }

    /** Whether this watch cancelled the statement because its lock wait passed the timeout. */
    public boolean timedOut() {
        return timedOut;
    }

    /** The last session seen blocking the file, like "pid 4242 (application myapp, ...)", or null. */
    public String blockerDescription() {
        LockWait wait = lastBlocked;
        return wait == null || wait.blocker() == null ? null : wait.blocker().describe();
    }

    /**
     * The paragraph to add to the report of {@code error}, or null: after a cancel by this watch,
     * who held the lock and what to do; after a statement or lock timeout that struck while the
     * file waited for a lock, who held it.
     */
    public String explain(SQLException error) {
        String state = error == null ? null : error.getSQLState();
        LockWait wait = lastBlocked;
        if (timedOut && "57014".equals(state) && wait != null) {
            String end = wait.blocker() == null ? "End that session"
                    : "End that session (SELECT pg_terminate_backend(" + wait.blocker().pid() + "))";
            return "Gave up after " + human(timeout.toMillis() / 1000.0) + " waiting for " + wait.object()
                    + ": " + wait.holders() + ". " + end + " or raise --table-lock-timeout.";
        }
        LockWait waiting = current;
        if (("57014".equals(state) || "55P03".equals(state)) && waiting != null) {
            return "The statement was waiting for " + waiting.object() + ", " + waiting.holders() + ".";
        }
        return null;
    }

    /** Stops the watch and closes its connection; waits for the thread, and never throws. */
    @Override
    public void close() {
        synchronized (monitor) {
            stopping = true;
            monitor.notifyAll();
        }
        // Not started yet (the usual case): it never will be. Started meanwhile: it sees stopping and ends.
        starting.cancel(false);
        try {
            thread.join(CLOSE_WAIT_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (thread.isAlive()) {
            // A poll stuck on a server that does not answer: cut its connection, so the thread ends.
            Connection stuck = conn;
            if (stuck != null) {
                try {
                    stuck.abort(Runnable::run);
                } catch (SQLException | RuntimeException e) {
                    LOG.debug("cannot abort the lock watch connection", e);
                }
            }
        }
    }

    private void run() {
        try {
            synchronized (monitor) {
                if (stopping) {
                    return;
                }
            }
            conn = opener.get();
            boolean reported = false;
            double firstSeen = -1;
            do {
                LockWait wait = LockWait.of(conn, pid);
                current = wait;
                if (wait == null) {
                    firstSeen = -1;
                    continue;
                }
                lastBlocked = wait;
                // Servers before 14 do not say when the wait began: count from this watch's first sight.
                if (firstSeen < 0) {
                    firstSeen = System.nanoTime() / 1e9;
                }
                double waited = wait.seconds() >= 0 ? wait.seconds() : System.nanoTime() / 1e9 - firstSeen;
                if (!reported && waited >= REPORT_AFTER.toSeconds()) {
                    reported = true;
                    notices.accept(notice(wait));
                }
                if (wait.cancellable() && waited * 1000 >= timeout.toMillis()) {
                    // Set before the cancel: the runner's statement fails as soon as it arrives.
                    timedOut = true;
                    if (LockWait.cancel(conn, pid)) {
                        return;
                    }
                    timedOut = false;
                }
            } while (pause(POLL_MILLIS));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (SQLException | RuntimeException e) {
            // The watch only helps: a failure here must not disturb the migration it watches.
            LOG.debug("lock watch for backend {} stopped", pid, e);
        } finally {
            closeConnection();
        }
    }

    private String notice(LockWait wait) {
        String start = "Waiting for " + wait.object() + ", " + wait.holders() + ". ";
        return start + (wait.cancellable()
                ? "Gives up after " + human(timeout.toMillis() / 1000.0) + " (--table-lock-timeout)."
                : "A CONCURRENTLY operation waits for them, and cancelling it would leave an invalid index behind, "
                        + "so pgshift keeps waiting: end those sessions to let it finish.");
    }

    /** Waits {@code millis} unless closed first; false once closed. */
    private boolean pause(long millis) throws InterruptedException {
        long end = System.nanoTime() + millis * 1_000_000;
        synchronized (monitor) {
            for (long left = millis; !stopping && left > 0; left = (end - System.nanoTime()) / 1_000_000) {
                monitor.wait(left);
            }
            return !stopping;
        }
    }

    private void closeConnection() {
        Connection c = conn;
        if (c != null) {
            try {
                c.close();
            } catch (SQLException | RuntimeException e) {
                LOG.debug("cannot close the lock watch connection", e);
            }
        }
    }

    /** "800 ms", "45 s", "3 min", "2 h": how long, as a person says it. */
    static String human(double seconds) {
        if (seconds < 1) {
            return Math.round(seconds * 1000) + " ms";
        }
        if (seconds < 120) {
            return Math.round(seconds) + " s";
        }
        if (seconds < 120 * 60) {
            return Math.round(seconds / 60) + " min";
        }
        return Math.round(seconds / 3600) + " h";
    }
}
