package pgshift.db;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLWarning;
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
 * <p>The JDBC API cannot say which statement of a multi-statement query failed, so the chunks go
 * through pgjdbc's query executor with a handler that counts completed statements: a runtime
 * error (no position) belongs to the statement after the last completed one; an error with a
 * position (the server parses a whole chunk first) is located by the statements' offsets.
 *
 * <p>Several chunks go out in one call, each its own Query message, before any result is read:
 * the server starts on the first while the rest are still being sent, and never waits for the
 * client between them. After an error the server refuses the chunks behind it (the transaction
 * is aborted), so nothing after the failing statement runs. The server's replies to those chunks
 * wait unread in the socket buffers until the last chunk is sent; a call is kept small enough for
 * them to fit (pgjdbc batches assume the same 64 KB), and a statement that may reply with rows
 * ends its call.
 */
public final class StatementRunner implements AutoCloseable {

    private static final int CHUNK_STATEMENTS = 250;
    private static final int CHUNK_CHARS = 1 << 18;
    /** Statements whose replies may wait unread while more chunks are sent: at ~60 bytes each, about 64 KB. */
    private static final int UNREAD_STATEMENTS = 1000;

    /** A newline first, so a statement ending in a -- comment does not swallow the separator. */
    private static final String SEPARATOR = "\n;\n";

    private final Connection conn;
    private final List<Chunk> sealed = new ArrayList<>();
    private int sealedStatements;
    private final List<SqlStatement> pending = new ArrayList<>();
    private int pendingChars;
    private boolean pendingMayReply;
    /** Rows the statements run so far inserted, updated, deleted or copied, as their command tags say. */
    private final java.util.concurrent.atomic.AtomicLong rowsWritten = new java.util.concurrent.atomic.AtomicLong();
    /** Started when a file needs more than one call: the calls after it are prepared while it runs. */
    private SendAhead ahead;

    public StatementRunner(Connection conn) {
        this.conn = conn;
    }

    /** Queues a statement; sends what is queued when enough is. Comment-only statements do nothing and are skipped. */
    public void add(SqlStatement statement) throws StatementFailure, SQLException {
        if (statement.isCommentOnly()) {
            return;
        }
        if (statement.isCopyFromStdin()) {
            // Its data goes through the COPY API, after everything before it has run.
            flush();
            rowsWritten.addAndGet(CopyIn.run(conn, statement));
            return;
        }
        pending.add(statement);
        pendingChars += statement.text().length();
        String word = statement.firstWord().toLowerCase(java.util.Locale.ROOT);
        pendingMayReply |= mayReplyWithRows(word, statement.text());
        // The server lexes a whole query with the standard_conforming_strings in force when it
        // arrives: the statements after a change of it go in a query of their own. Only SET, RESET
        // and DISCARD can change it, so only they are read for it (lexing every statement's start
        // twice more cost the thread that prepares the queries about 0.1 s on the 47 MB file).
        if (pending.size() >= CHUNK_STATEMENTS || pendingChars >= CHUNK_CHARS || pendingMayReply
                || (word.equals("set") || word.equals("reset") || word.equals("discard"))
                && statement.changesStandardConformingStrings()) {
            boolean last = pendingMayReply || sealedStatements + pending.size() > UNREAD_STATEMENTS;
            seal(null);
            if (last) {
                if (ahead == null) {
                    ahead = new SendAhead("pgshift-send");
                }
                List<Chunk> call = takeSealed();
                ahead.submit(() -> execute(call));
            }
        }
    }

    /** Rows the statements that completed so far inserted, updated, deleted, merged or copied. */
    public long rowsWritten() {
        return rowsWritten.get();
    }

    /** Sends whatever is queued and waits for the server to finish it all. */
    public void flush() throws StatementFailure, SQLException {
        flush(null);
    }

    /**
     * Sends what is queued followed by pgshift's own {@code trailer} SQL (say, the ledger row and
     * COMMIT) in the same message, saving round trips. An error in the trailer is not a statement
     * of the file: it surfaces as a plain SQLException.
     */
    public void flush(String trailer) throws StatementFailure, SQLException {
        if (!pending.isEmpty() || trailer != null) {
            seal(trailer);
        }
        List<Chunk> call = takeSealed();
        if (ahead != null) {
            if (!call.isEmpty()) {
                ahead.submit(() -> execute(call));
            }
            ahead.finish();
            ahead = null;
        } else if (!call.isEmpty()) {
            execute(call);
        }
    }

    /** Waits for what is running to end and drops what is queued, so the caller may use the connection. */
    @Override
    public void close() throws SQLException {
        if (ahead != null) {
            ahead.close();
            ahead = null;
        }
    }

    /** One Query message: statements joined by separators, and where each starts in it. */
    private record Chunk(List<SqlStatement> statements, String sql, int[] starts, int codePoints) {
    }

    private void seal(String trailer) {
        List<SqlStatement> statements = List.copyOf(pending);
        pending.clear();
        pendingChars = 0;
        pendingMayReply = false;
        StringBuilder sql = new StringBuilder();
        int[] starts = new int[statements.size()]; // 1-based, in code points, as the server counts positions
        int codePoints = 0;
        for (int i = 0; i < statements.size(); i++) {
            String text = statements.get(i).text();
            starts[i] = codePoints + 1;
            sql.append(text).append(SEPARATOR);
            codePoints += text.codePointCount(0, text.length()) + SEPARATOR.length();
        }
        if (trailer != null) {
            sql.append(trailer);
        }
        sealed.add(new Chunk(statements, sql.toString(), starts, codePoints));
        sealedStatements += statements.size();
    }

    private List<Chunk> takeSealed() {
        List<Chunk> chunks = List.copyOf(sealed);
        sealed.clear();
        sealedStatements = 0;
        return chunks;
    }

    /** Sends the chunks, each its own Query message, and reads every reply. */
    private void execute(List<Chunk> chunks) throws StatementFailure, SQLException {
        List<NativeQuery> queries = new ArrayList<>(chunks.size());
        for (Chunk chunk : chunks) {
            queries.add(new NativeQuery(chunk.sql(), SqlCommand.BLANK));
        }
        CountingHandler handler = new CountingHandler(rowsWritten);
        try {
            QueryExecutor executor = conn.unwrap(BaseConnection.class).getQueryExecutor();
            // Several native queries make a composite one, which pgjdbc sends as one Query message each.
            Query query = executor.wrap(queries);
            // NO_RESULTS: rows are read and dropped as they arrive, so a migration's SELECT of
            // millions of rows costs no memory (and the JDBC API's result sets are never built).
            // In autocommit mode the driver must not open a transaction first, as its own statements do not.
            int flags = QueryExecutor.QUERY_EXECUTE_AS_SIMPLE | QueryExecutor.QUERY_NO_RESULTS
                    | (conn.getAutoCommit() ? QueryExecutor.QUERY_SUPPRESS_BEGIN : 0);
            executor.execute(query, null, handler, 0, 0, flags);
        } catch (SQLException e) {
            throw locate(chunks, handler.completedBeforeError, e);
        }
    }

    /**
     * The statement an error belongs to: the chunk is the one holding the first statement that did
     * not complete; inside it, the server's position (if any) says which statement. Returns the
     * error itself when it is not about the file's statements (pgshift's trailer failed).
     */
    private static SQLException locate(List<Chunk> chunks, int completed, SQLException e) throws StatementFailure {
        int position = serverPosition(e);
        Chunk last = chunks.get(chunks.size() - 1);
        List<SqlStatement> all = new ArrayList<>();
        chunks.forEach(c -> all.addAll(c.statements()));
        if (all.isEmpty() || completed >= all.size() && (position == 0 || position > last.codePoints())) {
            return e;
        }
        if (completed < 0) {
            throw new StatementFailure(null, all, e, 0); // no error reply: the server did not say which
        }
        int index = Math.min(completed, all.size() - 1);
        int before = 0;
        for (Chunk chunk : chunks) {
            int size = chunk.statements().size();
            if (index < before + size) {
                if (position > 0) {
                    int i = size - 1;
                    while (i > 0 && chunk.starts()[i] > position) {
                        i--;
                    }
                    throw new StatementFailure(chunk.statements().get(i), chunk.statements(), e,
                            position - chunk.starts()[i] + 1);
                }
                throw new StatementFailure(chunk.statements().get(index - before), chunk.statements(), e, 0);
            }
            before += size;
        }
        throw new IllegalStateException("statement " + index + " of " + all.size() + " is in no chunk");
    }

    /**
     * Whether a statement may answer with rows (SELECT, RETURNING, ...) or many notices (DO,
     * CALL): more than the few bytes of a command tag, so nothing is sent behind it unread.
     */
    static boolean mayReplyWithRows(SqlStatement statement) {
        return mayReplyWithRows(statement.firstWord().toLowerCase(java.util.Locale.ROOT), statement.text());
    }

    /** @param word the statement's first word in lower case */
    private static boolean mayReplyWithRows(String word, String text) {
        boolean quiet = switch (word) {
            case "insert", "update", "delete", "merge", "create", "alter", "drop", "comment", "grant", "revoke",
                 "truncate", "set", "reset", "lock", "refresh", "cluster", "reindex", "analyze", "security" -> true;
            default -> false;
        };
        return !quiet || containsReturning(text);
    }

    /**
     * Whether RETURNING appears, in any case: found from each g or G, which String.indexOf finds
     * faster than a loop over every char finds an r (the C1 JIT, every INSERT of a 47 MB file).
     */
    private static boolean containsReturning(String text) {
        return containsReturningEndingAt(text, 'g') || containsReturningEndingAt(text, 'G');
    }

    private static boolean containsReturningEndingAt(String text, char g) {
        for (int i = text.indexOf(g, 8); i >= 0; i = text.indexOf(g, i + 1)) {
            if (text.regionMatches(true, i - 8, "returning", 0, 9)) {
                return true;
            }
        }
        return false;
    }

    /** Runs one statement on its own round trip (a no-transaction file, statement by statement). */
    public static void runAlone(Connection conn, SqlStatement statement) throws StatementFailure, SQLException {
        try (StatementRunner runner = new StatementRunner(conn)) {
            runner.add(statement);
            runner.flush();
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
        private final java.util.concurrent.atomic.AtomicLong rowsWritten;

        CountingHandler(java.util.concurrent.atomic.AtomicLong rowsWritten) {
            this.rowsWritten = rowsWritten;
        }

        @Override
        public void handleResultRows(Query fromQuery, Field[] fields, List<Tuple> tuples, ResultCursor cursor) {
            completed++;
        }

        @Override
        public void handleCommandStatus(String status, long updateCount, long insertOID) {
            completed++;
            if (status.startsWith("INSERT") || status.startsWith("UPDATE") || status.startsWith("DELETE")
                    || status.startsWith("MERGE") || status.startsWith("COPY")) {
                rowsWritten.addAndGet(Math.max(0, updateCount));
            }
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
