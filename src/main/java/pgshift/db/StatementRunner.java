package pgshift.db;

import java.sql.BatchUpdateException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import pgshift.migration.SqlStatement;

/**
 * Sends statements to the server in pipelined batches (many statements, one round trip) while
 * keeping track of which statement an error belongs to.
 */
public final class StatementRunner {

    /** Batches stay small enough that a failure report can name the statement and memory stays flat. */
    private static final int MAX_STATEMENTS = 2000;
    private static final int MAX_CHARS = 4 << 20;

    /** pgjdbc says which batch entry failed only in its message; pgshift forces English messages. */
    private static final Pattern BATCH_ENTRY = Pattern.compile("^Batch entry (\\d+) ");

    private final Connection conn;
    private final List<SqlStatement> pending = new ArrayList<>();
    private int pendingChars;

    public StatementRunner(Connection conn) {
        this.conn = conn;
    }

    /** Queues a statement; sends the queue when it is full. */
    public void add(SqlStatement statement) throws StatementFailure {
        pending.add(statement);
        pendingChars += statement.text().length();
        if (pending.size() >= MAX_STATEMENTS || pendingChars >= MAX_CHARS) {
            flush();
        }
    }

    /** Sends whatever is queued and waits for the server to finish it. */
    public void flush() throws StatementFailure {
        if (pending.isEmpty()) {
            return;
        }
        List<SqlStatement> batch = List.copyOf(pending);
        pending.clear();
        pendingChars = 0;
        try (Statement st = conn.createStatement()) {
            // Migration SQL is sent as written: JDBC escape processing would rewrite {fn ...} and {d ...}.
            st.setEscapeProcessing(false);
            if (batch.size() == 1) {
                st.execute(batch.get(0).text());
                return;
            }
            for (SqlStatement statement : batch) {
                st.addBatch(statement.text());
            }
            st.executeBatch();
        } catch (BatchUpdateException e) {
            SQLException cause = e.getNextException() != null ? e.getNextException() : e;
            throw new StatementFailure(failedEntry(e, batch), batch, cause);
        } catch (SQLException e) {
            throw new StatementFailure(batch.size() == 1 ? batch.get(0) : null, batch, e);
        }
    }

    /** Runs one statement on its own round trip (autocommit mode, one statement per commit). */
    public static void runAlone(Connection conn, SqlStatement statement) throws StatementFailure {
        try (Statement st = conn.createStatement()) {
            st.setEscapeProcessing(false);
            st.execute(statement.text());
        } catch (SQLException e) {
            throw new StatementFailure(statement, List.of(statement), e);
        }
    }

    private static SqlStatement failedEntry(BatchUpdateException e, List<SqlStatement> batch) {
        Matcher m = BATCH_ENTRY.matcher(String.valueOf(e.getMessage()));
        if (m.find()) {
            int index = Integer.parseInt(m.group(1));
            if (index >= 0 && index < batch.size()) {
                return batch.get(index);
            }
        }
        return null;
    }
}
