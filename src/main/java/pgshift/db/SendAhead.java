package pgshift.db;

import java.sql.SQLException;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

/**
 * Runs a connection's calls one after the other on a background thread, so the caller prepares
 * the next call (reading and joining statements) while the server runs this one, instead of the
 * server waiting for it. One call waits at most: memory stays bounded. After a failure the calls
 * still queued are dropped, and the failure is thrown to the caller on its next submit or finish.
 */
final class SendAhead implements AutoCloseable {

    /** One exchange with the server. */
    interface Call {
        void run() throws StatementFailure, SQLException;
    }

    private static final Call END = () -> { };

    private final BlockingQueue<Call> queue = new ArrayBlockingQueue<>(1);
    private final Thread thread;
    private volatile Throwable failure;
    private boolean ended;

    SendAhead(String name) {
        thread = new Thread(this::loop, name);
        thread.setDaemon(true);
        thread.start();
    }

    /** Queues a call, waiting while another one waits; throws an earlier call's failure instead. */
    void submit(Call call) throws StatementFailure, SQLException {
        rethrow();
        put(call);
    }

    /** Waits until every queued call has run; throws the first failure. */
    void finish() throws StatementFailure, SQLException {
        end();
        rethrow();
    }

    /** Waits for the call that is running (the connection is the caller's again afterwards) and drops the rest. */
    @Override
    public void close() throws SQLException {
        if (failure == null) {
            failure = new IllegalStateException("closed"); // makes the loop skip whatever is still queued
        }
        end();
    }

    private void end() throws SQLException {
        if (ended) {
            return;
        }
        ended = true;
        put(END);
        try {
            thread.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SQLException("Interrupted while the server was running statements", e);
        }
    }

    private void put(Call call) throws SQLException {
        try {
            queue.put(call);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SQLException("Interrupted while the server was running statements", e);
        }
    }

    private void loop() {
        while (true) {
            Call call;
            try {
                call = queue.take();
            } catch (InterruptedException e) {
                if (failure == null) {
                    failure = e; // the queued calls are dropped; END still ends the loop
                }
                continue;
            }
            if (call == END) {
                return;
            }
            if (failure == null) {
                try {
                    call.run();
                } catch (Throwable t) { // an OutOfMemoryError too: the caller reports it
                    failure = t;
                }
            }
        }
    }

    private void rethrow() throws StatementFailure, SQLException {
        Throwable t = failure;
        if (t == null) {
            return;
        }
        if (t instanceof StatementFailure f) {
            throw f;
        }
        if (t instanceof SQLException e) {
            throw e;
        }
        if (t instanceof RuntimeException e) {
            throw e;
        }
        if (t instanceof Error e) {
            throw e;
        }
        throw new SQLException(t);
    }
}
