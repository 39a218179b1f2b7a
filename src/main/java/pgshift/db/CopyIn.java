package pgshift.db;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.postgresql.PGConnection;
import org.postgresql.util.PSQLException;
import org.postgresql.util.ServerErrorMessage;

import pgshift.migration.SqlStatement;

/**
 * Runs a {@code COPY ... FROM STDIN} block through pgjdbc's COPY API on the caller's connection
 * (and so in its transaction), and ties a failure to the data line it names.
 */
final class CopyIn {

    /** PostgreSQL's context line for COPY errors: "COPY t, line 3, column b: ..." (the last such line wins). */
    private static final Pattern COPY_LINE = Pattern.compile("(?m)^COPY .*?, line (\\d+)");

    private CopyIn() {
    }

    /** Sends the block's data; returns the rows the server copied. */
    static long run(Connection conn, SqlStatement statement) throws StatementFailure, SQLException {
        try {
            return conn.unwrap(PGConnection.class).getCopyAPI()
                    .copyIn(statement.copyCommand(), dataOf(statement));
        } catch (PSQLException e) {
            throw new StatementFailure(statement, List.of(statement), e, position(statement, e.getServerErrorMessage()));
        } catch (IOException e) {
            throw new UncheckedIOException("a StringReader does not fail", e);
        }
    }

    /** The data lines, read in place: a copy of a 50 MB block would double what it holds in memory. */
    private static Reader dataOf(SqlStatement statement) {
        String text = statement.text();
        int end = text.length() - 2; // the \. line is not data
        return new Reader() {
            private int position = statement.copy().dataStart();

            @Override
            public int read(char[] buffer, int offset, int length) {
                if (position >= end) {
                    return -1;
                }
                int count = Math.min(length, end - position);
                text.getChars(position, position + count, buffer, offset);
                position += count;
                return count;
            }

            @Override
            public void close() {
                // nothing held
            }
        };
    }

    /**
     * Where in the statement the error is: the server's position for an error in the command
     * (the command opens the statement's text), else the start of the data line the server's
     * context names, else unknown (0).
     */
    static int position(SqlStatement statement, ServerErrorMessage server) {
        if (server == null) {
            return 0;
        }
        if (server.getPosition() > 0) {
            return server.getPosition();
        }
        String where = server.getWhere();
        if (where == null) {
            return 0;
        }
        Matcher m = COPY_LINE.matcher(where);
        String line = null;
        while (m.find()) {
            line = m.group(1);
        }
        if (line == null) {
            return 0;
        }
        try {
            return statement.copyDataLineOffset(Integer.parseInt(line));
        } catch (NumberFormatException e) {
            return 0; // more lines than an int holds: not one of this file's
        }
    }
}
