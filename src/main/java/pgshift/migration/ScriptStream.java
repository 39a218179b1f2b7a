package pgshift.migration;

import java.io.IOException;
import java.io.Reader;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

import pgshift.PgshiftException;

/**
 * A migration file split on a background thread while the caller runs what is already split, so
 * reading a 50 MB seed file overlaps with the server executing it.
 */
public final class ScriptStream implements AutoCloseable {

    private static final Object END = new Object();

    private final BlockingQueue<Object> queue = new ArrayBlockingQueue<>(4096);
    private final Thread splitter;
    private volatile boolean closed;
    private volatile boolean directive;
    private boolean ended;

    private ScriptStream(MigrationFile file) {
        splitter = new Thread(() -> split(file), "pgshift-split-" + file.version());
        splitter.setDaemon(true);
    }

    public static ScriptStream open(MigrationFile file) {
        ScriptStream stream = new ScriptStream(file);
        stream.splitter.start();
        return stream;
    }

    /** The next statement, or null at the end; a file that cannot be read or split throws here. */
    public SqlStatement next() {
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
        return (SqlStatement) item;
    }

    /** Whether the file starts with -- pgshift:no-transaction; known once the first statement is out. */
    public boolean noTransactionDirective() {
        return directive;
    }

    private void split(MigrationFile file) {
        try (Reader reader = ScriptReader.open(file.path())) {
            SqlSplitter splitter = new SqlSplitter(reader, file.fileName());
            for (SqlStatement s = splitter.next(); s != null; s = splitter.next()) {
                directive = splitter.noTransactionDirective();
                if (!put(s)) {
                    return;
                }
            }
            put(END);
        } catch (IOException e) {
            put(PgshiftException.migration("Cannot read " + file.path() + ": " + e.getMessage()));
        } catch (RuntimeException e) {
            put(e);
        } catch (Error e) {
            // Whatever happens here, the reader must not wait forever for a statement.
            put(new IllegalStateException("Splitting " + file.fileName() + " failed: " + e, e));
            throw e;
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
