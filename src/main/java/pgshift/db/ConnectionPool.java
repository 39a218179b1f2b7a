package pgshift.db;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.Supplier;

import org.postgresql.core.BaseConnection;
import org.postgresql.core.TransactionState;

/**
 * The shell's connections: kept open between commands so each command starts warm, checked
 * before each use, and replaced after the server restarted (with one notice saying so).
 * Connections come back reset, so a migration's {@code SET} or {@code SET ROLE} does not leak
 * into the next command.
 */
final class ConnectionPool implements AutoCloseable {

    /** The shell and a watcher each keep one; more would only hold server slots. */
    private static final int KEEP_IDLE = 2;

    /**
     * DISCARD ALL without its DEALLOCATE ALL: the driver's own prepared statements stay valid,
     * everything a command could have changed in the session goes.
     */
    private static final String RESET = "CLOSE ALL; SET SESSION AUTHORIZATION DEFAULT; RESET ALL; UNLISTEN *; "
            + "SELECT pg_advisory_unlock_all(); DISCARD PLANS; DISCARD TEMP; DISCARD SEQUENCES";

    private final Supplier<Connection> opener;
    private final Consumer<String> notices;
    private final String target;
    private final Deque<Connection> idle = new ArrayDeque<>();
    /** Connections in use, by the thread that borrowed them: Ctrl-C cancels the shell's own. */
    private final Map<Connection, Thread> lent = new ConcurrentHashMap<>();
    /** A connection died since the last successful open: the next open says it reconnected. */
    private boolean lost;
    private boolean opened;

    /**
     * @param opener  opens a new connection, or throws the user-facing error
     * @param target  the masked URL, for the reconnect notice
     */
    ConnectionPool(Supplier<Connection> opener, Consumer<String> notices, String target) {
        this.opener = opener;
        this.notices = notices;
        this.target = target;
    }

    PooledConnection borrow() {
        for (Connection c = takeIdle(); c != null; c = takeIdle()) {
            if (usable(c)) {
                return lend(c);
            }
            closeQuietly(c);
            markLost();
        }
        Connection fresh = opener.get();
        boolean reconnected;
        synchronized (this) {
            reconnected = lost;
            lost = false;
            opened = true;
        }
        if (reconnected) {
            notices.accept("Reconnected to " + target + " (the previous connection was closed: did the server restart?).");
        }
        return lend(fresh);
    }

    private PooledConnection lend(Connection real) {
        lent.put(real, Thread.currentThread());
        return new PooledConnection(real, this);
    }

    /** The connections the given thread is using right now. */
    java.util.List<Connection> lentTo(Thread owner) {
        return lent.entrySet().stream().filter(e -> e.getValue() == owner).map(Map.Entry::getKey).toList();
    }

    void giveBack(Connection real) {
        lent.remove(real);
        try {
            if (real.isClosed()) {
                markLost();
                return;
            }
            if (real.unwrap(BaseConnection.class).getTransactionState() != TransactionState.IDLE) {
                real.rollback();
            }
            real.setAutoCommit(true);
            try (Statement reset = real.createStatement()) {
                reset.execute(RESET);
            }
            synchronized (this) {
                if (idle.size() < KEEP_IDLE) {
                    idle.push(real);
                    return;
                }
            }
            real.close();
        } catch (SQLException e) {
            closeQuietly(real);
            markLost();
        }
    }

    private synchronized Connection takeIdle() {
        return idle.poll();
    }

    private synchronized void markLost() {
        lost = opened;
    }

    /** One round trip; a connection whose server went away fails it at once. */
    private static boolean usable(Connection c) {
        try {
            return c.isValid(5);
        } catch (SQLException e) {
            return false;
        }
    }

    private static void closeQuietly(Connection c) {
        try {
            c.close();
        } catch (SQLException e) {
            // already broken: nothing left to release
        }
    }

    @Override
    public synchronized void close() {
        idle.forEach(ConnectionPool::closeQuietly);
        idle.clear();
    }
}
