package pgshift.watch;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;

import pgshift.failure.PgshiftException;
import pgshift.db.Target;
import pgshift.engine.Planner;
import pgshift.config.DatabaseUrl;
import pgshift.config.Secrets;
import pgshift.config.Sentences;
import pgshift.migration.MigrationFolder;

/**
 * Keeps a local database at the migrations folder: applies what is pending at start, then each
 * new file once it has settled, one pass at a time on a single worker thread.
 */
public final class Watch implements AutoCloseable {

    /** How long stop() lets a running file finish before it cancels the statement on the server. */
    private static final long FINISH_MILLIS = 2_000;

    private final Path folder;
    private final Reconciler reconciler;
    private final WatchListener listener;
    private final ExecutorService worker = Executors.newSingleThreadExecutor(daemon("pgshift-watch-apply"));
    private final Set<Path> changed = new HashSet<>();
    private boolean queued;
    private volatile FolderWatcher folderWatcher;
    private volatile WatchStatus status;

    private Watch(Target target, Planner planner, java.util.function.Function<Path, String> display,
                  WatchOptions options, WatchListener listener) {
        this.folder = planner.folder();
        this.listener = listener;
        this.reconciler = new Reconciler(target, planner, display, options, listener, this::isSettled);
        this.status = new WatchStatus(true, folder, null, 0);
    }

    /**
     * Checks the target and the folder, then starts watching and queues the first pass (pending
     * files) on the worker; returns at once. Refuses a non-local database unless allowed, judged
     * from the URL before any connection is opened.
     *
     * @throws PgshiftException refused (usage), or the folder or database is not usable (config)
     */
    public static Watch start(Target target, Planner planner, java.util.function.Function<Path, String> display,
                              WatchOptions options, WatchListener listener) {
        DatabaseUrl url = target.url(); // opens nothing for a configured URL
        if (!url.isLocal() && !options.allowRemote()) {
            throw PgshiftException.usage("Refusing to watch " + url.masked() + ": " + url.host() + " is not this "
                    + "machine, and watch applies files the moment they are saved. Watch a local database, or pass "
                    + "--allow-remote if you really mean it.");
        }
        Path folder = planner.folder();
        if (!Files.isDirectory(folder)) {
            MigrationFolder.scan(folder); // throws the message apply gives for a missing folder
        }
        try (Connection probe = target.database().backgroundConnection()) {
            // Fail at start when the database is out of reach, not at the first save.
        } catch (SQLException e) {
            throw PgshiftException.config("Cannot use " + url.masked() + ": " + Secrets.mask(e.getMessage()), e);
        }
        Watch watch = new Watch(target, planner, display, options, listener);
        try {
            watch.folderWatcher = FolderWatcher.start(folder, options.settle(), watch::changed, watch::lost);
        } catch (IOException e) {
            watch.worker.shutdownNow();
            throw PgshiftException.config("Cannot watch " + folder + ": " + e.getMessage(), e);
        }
        watch.changed(Set.of());
        return watch;
    }

    private boolean isSettled(Path path) {
        FolderWatcher watcher = folderWatcher;
        return watcher == null || watcher.isSettled(path);
    }

    /** Queues a pass for these paths; passes queued while one runs merge into one. */
    private void changed(Set<Path> paths) {
        synchronized (this) {
            changed.addAll(paths);
            if (queued || worker.isShutdown()) {
                return;
            }
            queued = true;
            worker.execute(this::runPass);
        }
    }

    private void runPass() {
        Set<String> names;
        synchronized (this) {
            names = Reconciler.names(changed);
            changed.clear();
            queued = false;
        }
        boolean done = false;
        try {
            reconciler.pass(names);
            done = true;
        } catch (PgshiftException e) {
            listener.error(e.getMessage() + "\nwatch: the next change in the folder tries again.");
        } catch (SQLException e) {
            listener.error(Sentences.join("The database failed during a watch pass: "
                    + Secrets.mask(String.valueOf(e.getMessage()))
                    + (e.getSQLState() == null ? "" : " (SQLSTATE " + e.getSQLState() + ")"),
                    "Nothing more was run; the next change in the folder tries again"));
        } catch (RuntimeException e) {
            listener.error(Sentences.join("Unexpected " + e.getClass().getSimpleName() + " during a watch pass: "
                    + Secrets.mask(String.valueOf(e.getMessage())), "The next change in the folder tries again"));
        }
        if (!done) {
            synchronized (this) {
                // Not looked at (lock timeout, database down): the next pass must still treat them as changed.
                names.forEach(n -> changed.add(folder.resolve(n)));
            }
        }
        WatchStatus now = new WatchStatus(status.watching(), folder, reconciler.blockedOn(), reconciler.applied());
        if (!now.equals(status)) {
            status = now;
            listener.statusChanged(now);
        }
    }

    /**
     * The folder watch ended by itself (the folder was deleted or moved): stop, and say so through
     * the worker, so the message and the status change reach the listener in order.
     */
    private void lost(String why) {
        WatchStatus stopped;
        synchronized (this) {
            if (!status.watching()) {
                return; // stopped meanwhile: nothing was lost
            }
            stopped = new WatchStatus(false, folder, status.blockedOn(), status.applied());
            status = stopped;
            worker.execute(() -> {
                listener.error("Stopped watching " + folder + ": " + why + ". Start watching again once it is back.");
                listener.statusChanged(stopped);
            });
            worker.execute(reconciler::dropSnapshots);
            worker.shutdown();
        }
        folderWatcher.close();
    }

    /**
     * Queues a pass with no changed file, e.g. after a command typed in the shell changed the
     * ledger: an unblocked version or newly pending files are seen without waiting for a save.
     */
    public void recheck() {
        changed(Set.of());
    }

    public WatchStatus status() {
        return status;
    }

    /**
     * Stops watching: no new pass starts; a file being applied may finish for a moment, then its
     * statement is cancelled (its transaction rolls back). Returns when the worker has ended; safe
     * to call more than once and from any thread but the listener's.
     */
    public void stop() {
        boolean first;
        synchronized (this) {
            first = status.watching();
            if (first) {
                status = new WatchStatus(false, folder, status.blockedOn(), status.applied());
                worker.execute(reconciler::dropSnapshots); // after the pass in hand: every caller waits for it below
                worker.shutdown();
            }
        }
        if (first && folderWatcher != null) {
            folderWatcher.close();
        }
        // Every caller waits (Ctrl-C's handler and the command's own close), so none goes on while a file runs.
        try {
            if (!worker.awaitTermination(FINISH_MILLIS, TimeUnit.MILLISECONDS)) {
                reconciler.cancel();
                boolean dropLeft = !worker.shutdownNow().isEmpty(); // the snapshots' drop had not started
                worker.awaitTermination(10, TimeUnit.SECONDS);
                if (dropLeft) {
                    reconciler.dropSnapshots();
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        stop();
    }

    static ThreadFactory daemon(String name) {
        return r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        };
    }
}
