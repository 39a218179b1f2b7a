package pgshift.db;

import java.sql.SQLException;
import java.util.List;

import pgshift.migration.SqlStatement;

/**
 * A statement the server rejected: which one (when the driver could tell), the statements sent
 * with it, and the server's error.
 */
public final class StatementFailure extends Exception {

    private final SqlStatement statement;
    private final List<SqlStatement> sentTogether;
    private final SQLException error;
    private final int position;

    /** @param position 1-based character offset of the error inside the statement's text; 0 when unknown */
    public StatementFailure(SqlStatement statement, List<SqlStatement> sentTogether, SQLException error, int position) {
        super(error.getMessage(), error);
        this.statement = statement;
        this.sentTogether = List.copyOf(sentTogether);
        this.error = error;
        this.position = position;
    }

    public int position() {
        return position;
    }

    /** The failing statement, or null when the server did not say which one of {@link #sentTogether()}. */
    public SqlStatement statement() {
        return statement;
    }

    public List<SqlStatement> sentTogether() {
        return sentTogether;
    }

    public SQLException error() {
        return error;
    }
}
