package pgshift.migration;

import java.io.IOException;
import java.io.Reader;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;

import pgshift.PgshiftException;

/**
 * A migration file split on a background thread while the caller runs what is already split, so
 * reading a 50 MB seed file overlaps with the server executing it. Statements cross between the
 * threads in batches: one hand-off per statement made the two threads wake each other 200,000
 * times for such a file.
 */
public final class ScriptStream implements AutoCloseable {

    private static final Object END = new Object();
    private static final int BATCH = 256;

    /** Batches (lists of statements), then END or the exception that ended the split. */
    private final BlockingQueue<Object> queue;
    private final Thread splitter;
    private volatile boolean closed;
    private volatile boolean directive;
    private boolean ended;
    private List<?> batch = List.of();
    private int next;

    private final BiConsumer<List<SqlStatement>, Boolean> whenSplit;

    private ScriptStream(MigrationFile file, BiConsumer<List<SqlStatement>, Boolean> whenSplit) {
        this.whenSplit = whenSplit;
        // Bounded, so a big file is not held twice over; unless whenSplit keeps every statement
        // anyway: then the split runs ahead of the caller and whenSplit hears it all early.
        this.queue = whenSplit == null ? new ArrayBlockingQueue<>(16) : new LinkedBlockingQueue<>();
        splitter = new Thread(() -> split(file), "pgshift-split-" + file.version());
        splitter.setDaemon(true);
    }

    public static ScriptStream open(MigrationFile file) {
        return open(file, null);
    }

    /**
     * Opens the stream; {@code whenSplit}, if any, hears every statement of the file and whether
     * it starts with the no-transaction directive, on the splitting thread, as soon as the whole
     * file is split (before the caller has them all).
     */
    public static ScriptStream open(MigrationFile file, BiConsumer<List<SqlStatement>, Boolean> whenSplit) {
        ScriptStream stream = new ScriptStream(file, whenSplit);
        stream.splitter.start();
        return stream;
    }

    /** The next statement, or null at the end; a file that cannot be read or split throws here. */
    public SqlStatement next() {
        while (next == batch.size()) {
            if (ended) {
                return null;
            }
            Object item;
            try {
                item = queue.take();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw PgshiftException.migration("Interrupted while reading a migration file.");
            }
            if (item == END) {
                ended = true;
                return null;
            }
            if (item instanceof RuntimeException e) {
                throw e;
            }
            batch = (List<?>) item;
            next = 0;
        }
        return (SqlStatement) batch.get(next++);
    }

    /** Whether the file starts with -- pgshift:no-transaction; known once the first statement is out. */
    public boolean noTransactionDirective() {
        return directive;
    }

    private void split(MigrationFile file) {
        List<SqlStatement> batch = new ArrayList<>(BATCH);
        List<SqlStatement> all = whenSplit == null ? null : new ArrayList<>();
        try (Reader reader = ScriptReader.open(file.path())) {
            SqlSplitter splitter = new SqlSplitter(reader, file.fileName());
            for (SqlStatement s = splitter.next(); s != null; s = splitter.next()) {
                directive = splitter.noTransactionDirective();
                batch.add(s);
                if (all != null) {
                    all.add(s);
                }
                if (batch.size() == BATCH) {
                    if (!put(batch)) {
                        return;
                    }
                    batch = new ArrayList<>(BATCH);
                }
            }
            if (all != null && !closed) {
                whenSplit.accept(all, directive);
            }
            if (put(batch)) {
                put(END);
            }
        } catch (IOException e) {
            putAfter(batch, PgshiftException.migration("Cannot read " + file.path() + ": " + e.getMessage()));
        } catch (RuntimeException e) {
            putAfter(batch, e);
        } catch (Error e) {
            // Whatever happens here, the reader must not wait forever for a statement.
            putAfter(batch, new IllegalStateException("Splitting " + file.fileName() + " failed: " + e, e));
            throw e;
        }
    }

    /** The statements split before a failure still come first: the caller reports them as run. */
    private void putAfter(List<SqlStatement> batch, RuntimeException failure) {
        if (put(batch)) {
            put(failure);
        }
    }

    /** Waits for room in the queue, giving up once the reader has closed the stream. */
    private boolean put(Object item) {
        try {
            while (!closed) {
                if (queue.offer(item, 50, TimeUnit.MILLISECONDS)) {
                    return true;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return false;
    }

    @Override
    public void close() {
        closed = true;
        queue.clear();
    }
}
