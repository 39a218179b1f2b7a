package pgshift.db;

import java.sql.Connection;
import java.sql.SQLException;

/** Runs a piece of work in one transaction on a connection that is otherwise in autocommit mode. */
public final class Transactions {

    /** The work: anything that may throw SQLException. */
    @FunctionalInterface
    public interface Work<T> {
        T run() throws SQLException;
    }

    private Transactions() {
    }

    /** Commits when the work returns, rolls back when it throws, and leaves the connection in autocommit. */
    public static <T> T run(Connection conn, Work<T> work) throws SQLException {
        conn.setAutoCommit(false);
        try {
            T result = work.run();
            conn.commit();
            return result;
        } catch (SQLException | RuntimeException e) {
            conn.rollback();
            throw e;
        } finally {
            conn.setAutoCommit(true);
        }
    }
}
