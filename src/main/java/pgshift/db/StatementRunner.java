package pgshift.db;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLWarning;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

import org.postgresql.core.BaseConnection;
import org.postgresql.core.Field;
import org.postgresql.core.NativeQuery;
import org.postgresql.core.Query;
import org.postgresql.core.QueryExecutor;
import org.postgresql.core.ResultCursor;
import org.postgresql.core.ResultHandlerBase;
import org.postgresql.core.SqlCommand;
import org.postgresql.core.Tuple;
import org.postgresql.util.PSQLException;

import pgshift.migration.SqlStatement;

/**
 * Sends a file's statements to the server in chunks, each chunk one multi-statement simple-protocol
 * query (as fast as sending the whole file at once), while keeping track of which statement an
 * error belongs to.
 *
 * <p>The JDBC API cannot say which statement of a multi-statement query failed, so the chunk goes
 * through pgjdbc's query executor with a handler that counts completed statements: a runtime
 * error (no position) belongs to the statement after the last completed one; an error with a
 * position (the server parses the whole chunk first) is located by the statements' offsets.
 */
public final class StatementRunner {

    private static final int MAX_STATEMENTS = 1000;
    private static final int MAX_CHARS = 1 << 20;

    /** A newline first, so a statement ending in a -- comment does not swallow the separator. */
    private static final String SEPARATOR = "\n;\n";

    private final Connection conn;
    private final List<SqlStatement> pending = new ArrayList<>();
    private int pendingChars;

    public StatementRunner(Connection conn) {
        this.conn = conn;
    }

    /** Queues a statement; sends the queue when it is full. Comment-only statements do nothing and are skipped. */
    public void add(SqlStatement statement) throws StatementFailure, SQLException {
        if (statement.isCommentOnly()) {
            return;
        }
        pending.add(statement);
        pendingChars += statement.text().length();
        if (pending.size() >= MAX_STATEMENTS || pendingChars >= MAX_CHARS) {
            flush(null);
        }
    }

    /** Sends whatever is queued and waits for the server to finish it. */
    public void flush() throws StatementFailure, SQLException {
        flush(null);
    }

    /**
     * Sends what is queued followed by pgshift's own {@code trailer} SQL (say, the ledger row and
     * COMMIT) in the same message, saving round trips. An error in the trailer is not a statement
     * of the file: it surfaces as a plain SQLException.
     */
    public void flush(String trailer) throws StatementFailure, SQLException {
        if (pending.isEmpty() && trailer == null) {
            return;
        }
        List<SqlStatement> chunk = List.copyOf(pending);
        pending.clear();
        pendingChars = 0;
        StringBuilder sql = new StringBuilder();
        int[] starts = new int[chunk.size()]; // 1-based, in code points, as the server counts positions
        int codePoints = 0;
        for (int i = 0; i < chunk.size(); i++) {
            String text = chunk.get(i).text();
            starts[i] = codePoints + 1;
            sql.append(text).append(SEPARATOR);
            codePoints += text.codePointCount(0, text.length()) + SEPARATOR.length();
        }
        if (trailer != null) {
            sql.append(trailer);
        }
        CountingHandler handler = new CountingHandler();
        try {
            QueryExecutor executor = conn.unwrap(BaseConnection.class).getQueryExecutor();
            Query query = executor.wrap(List.of(new NativeQuery(sql.toString(), SqlCommand.BLANK)));
            executor.execute(query, null, handler, 0, 0, QueryExecutor.QUERY_EXECUTE_AS_SIMPLE);
        } catch (SQLException e) {
            boolean inTrailer = handler.completedBeforeError >= chunk.size()
                    && (serverPosition(e) == 0 || serverPosition(e) > codePoints);
            if (inTrailer || chunk.isEmpty()) {
                throw e;
            }
            throw locate(chunk, starts, handler.completedBeforeError, e);
        }
    }

    private static StatementFailure locate(List<SqlStatement> chunk, int[] starts, int completed, SQLException e) {
        int position = serverPosition(e);
        if (position > 0) {
            int i = chunk.size() - 1;
            while (i > 0 && starts[i] > position) {
                i--;
            }
            return new StatementFailure(chunk.get(i), chunk, e, position - starts[i] + 1);
        }
        SqlStatement failed = completed >= 0 && completed < chunk.size() ? chunk.get(completed) : null;
        return new StatementFailure(failed, chunk, e, 0);
    }

    /** Runs one statement on its own round trip (autocommit mode, one statement per commit). */
    public static void runAlone(Connection conn, SqlStatement statement) throws StatementFailure {
        try (Statement st = conn.createStatement()) {
            st.setEscapeProcessing(false);
            st.execute(statement.text());
        } catch (SQLException e) {
            throw new StatementFailure(statement, List.of(statement), e, serverPosition(e));
        }
    }

    private static int serverPosition(SQLException e) {
        return e instanceof PSQLException p && p.getServerErrorMessage() != null
                ? p.getServerErrorMessage().getPosition() : 0;
    }

    /** Counts statements the server completed: each sends either rows or a command status, then the next begins. */
    private static final class CountingHandler extends ResultHandlerBase {
        private int completed;
        private int completedBeforeError = -1;

        @Override
        public void handleResultRows(Query fromQuery, Field[] fields, List<Tuple> tuples, ResultCursor cursor) {
            completed++;
        }

        @Override
        public void handleCommandStatus(String status, long updateCount, long insertOID) {
            completed++;
        }

        @Override
        public void handleWarning(SQLWarning warning) {
            // NOTICEs such as "relation already exists, skipping" are not failures.
        }

        @Override
        public void handleError(SQLException error) {
            if (completedBeforeError < 0) {
                completedBeforeError = completed;
            }
            super.handleError(error);
        }
    }
}
