package pgshift.migration;

import java.io.IOException;
import java.io.Reader;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

import pgshift.failure.PgshiftException;

/**
 * A migration file's statements in the order the executor takes them: split ahead (a loaded
 * {@link MigrationScript}), or split on a thread of its own while the first statements already
 * run, so that splitting a big file overlaps its statements instead of preceding them (1.0-1.4 s
 * for the 47 MB file of bench/run.sh big with the launcher's C1-only JIT, a fifth of the time its
 * statements take on the server).
 *
 * <p>What must be known before a file's first statement runs is known ahead either way: whether
 * it may have to run without a transaction ({@link NoTransactionWords}, from its words alone;
 * when it may, the executor waits for the whole split). What the split finds later (a COMMIT in
 * the middle, an unterminated quote) surfaces before the file's transaction commits, which then
 * rolls back.
 */
public final class ScriptStream implements AutoCloseable {

    /** Statements handed over together: waking the executor for each of 200,000 would cost more than the split. */
    private static final int BATCH = 256;

    private final MigrationFile file;
    /** Set by the thread that made the stream, before it returns it. */
    private boolean mayRunWithoutTransaction;
    /** Guarded by {@code this}, as are {@link #whole} and {@link #failure}. */
    private final List<SqlStatement> statements;
    private MigrationScript whole;
    private RuntimeException failure;
    /** Set before it starts; null for a script split ahead. */
    private Thread splitter;
    private volatile boolean stopped;
    private Consumer<MigrationScript> whenSplit;
    private int next;

    private ScriptStream(MigrationFile file, boolean mayRunWithoutTransaction, MigrationScript whole) {
        this.file = file;
        this.mayRunWithoutTransaction = mayRunWithoutTransaction;
        this.whole = whole;
        this.statements = whole != null ? whole.statements() : new ArrayList<>();
    }

    /** The statements of a script split ahead. */
    public static ScriptStream of(MigrationScript script) {
        return new ScriptStream(script.file(), script.runsWithoutTransaction(), script);
    }

    /**
     * Starts splitting {@code file} on a thread of its own.
     *
     * @param check runs on the whole script once it is split (the refusals that stop a run); what it
     *              throws is thrown to the caller instead of the script
     */
    public static ScriptStream split(MigrationFile file, Consumer<MigrationScript> check) {
        ScriptStream stream = new ScriptStream(file, true, null);
        // Read before the split starts: 0.15-0.2 s for 47 MB with C1, about a third longer with the
        // split beside it on a busy machine, and the split soon runs ahead of the statements anyway.
        try {
            stream.mayRunWithoutTransaction = !NoTransactionWords.certainlyTransactional(file.path());
        } catch (IOException e) {
            stream.mayRunWithoutTransaction = true; // the split reports what cannot be read
        }
        stream.splitter = new Thread(() -> stream.run(check), "pgshift-split");
        stream.splitter.setDaemon(true);
        stream.splitter.start();
        return stream;
    }

    public MigrationFile file() {
        return file;
    }

    /**
     * False when the file certainly runs in a transaction; true when it runs without one or, not
     * yet split, may: then wait for {@link #whole()} before running anything.
     */
    public boolean mayRunWithoutTransaction() {
        return mayRunWithoutTransaction;
    }

    /** The next statement, or null after the last; waits for the split; throws what stopped it. */
    public synchronized SqlStatement next() {
        while (next >= statements.size() && whole == null) {
            await("the next statement");
        }
        return next < statements.size() ? statements.get(next++) : null;
    }

    /** The whole script, split and checked; waits for that; throws what stopped it. */
    public synchronized MigrationScript whole() {
        while (whole == null) {
            await("the end of the file");
        }
        return whole;
    }

    /**
     * Runs {@code action} with the whole script once it is split and checked, on the splitter's
     * thread (now, if it already is); never after {@link #close}, nor when the split fails.
     */
    public synchronized void whenSplit(Consumer<MigrationScript> action) {
        if (stopped) {
            return;
        }
        if (whole != null) {
            action.accept(whole);
        } else if (failure == null) {
            whenSplit = action;
        }
    }

    /** Stops the split when the file will not run to its end (a statement failed); no {@link #whenSplit} action runs after. */
    @Override
    public synchronized void close() {
        stopped = true;
        whenSplit = null;
    }

    /** Waits for the splitter to hand over more; throws what stopped it, once there is nothing more to hand out. */
    private void await(String what) {
        if (failure != null) {
            throw failure;
        }
        if (splitter == null || !splitter.isAlive()) {
            throw new IllegalStateException("The split of " + file.fileName() + " ended before " + what);
        }
        try {
            wait(1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw PgshiftException.cancelled("Interrupted while waiting for " + what + " of " + file.fileName()
                    + " to be split.");
        }
    }

    private void run(Consumer<MigrationScript> check) {
        try (Reader reader = ScriptReader.open(file.path())) {
            SqlSplitter splitter = new SqlSplitter(reader, file.fileName());
            List<SqlStatement> batch = new ArrayList<>(BATCH);
            for (SqlStatement s = splitter.next(); s != null && !stopped; s = splitter.next()) {
                batch.add(s);
                if (batch.size() == BATCH) {
                    publish(batch);
                    batch.clear();
                }
            }
            publish(batch);
            if (stopped) {
                fail(new IllegalStateException("The split of " + file.fileName() + " was stopped."));
                return;
            }
            MigrationScript script;
            synchronized (this) {
                script = new MigrationScript(file, List.copyOf(statements), splitter.noTransactionMarker());
            }
            check.accept(script);
            synchronized (this) {
                whole = script;
                notifyAll();
                if (whenSplit != null) {
                    whenSplit.accept(script);
                    whenSplit = null;
                }
            }
        } catch (IOException e) {
            fail(PgshiftException.migration("Cannot read " + file.path() + ": " + e.getMessage()));
        } catch (RuntimeException e) {
            fail(e);
        } catch (Error e) { // an OutOfMemoryError too: the executor reports it instead of waiting
            fail(new IllegalStateException("Splitting " + file.fileName() + " failed: " + e, e));
            throw e;
        }
    }

    private synchronized void publish(List<SqlStatement> batch) {
        statements.addAll(batch);
        notifyAll();
    }

    private synchronized void fail(RuntimeException e) {
        failure = e;
        notifyAll();
    }
}
