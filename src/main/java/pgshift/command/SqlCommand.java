package pgshift.command;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

import pgshift.failure.PgshiftException;
import pgshift.console.Confirmation;
import pgshift.console.Table;
import pgshift.db.FailureReport;
import pgshift.db.StatementFailure;
import pgshift.migration.SqlSplitter;
import pgshift.migration.SqlStatement;

/**
 * Runs one statement for troubleshooting and prints its result as a table. Read-only unless
 * --write: a look at the database must not change it by a slip of the keyboard.
 */
@Command(name = "sql", mixinStandardHelpOptions = true,
        description = "Run one SQL statement and print the result (first " + SqlCommand.MAX_ROWS + " rows). "
                + "Read-only unless --write.")
public final class SqlCommand implements Callable<Integer> {

    static final int MAX_ROWS = 100;

    @ParentCommand
    CommandRoot root;

    @Option(names = "--write", description = "Let the statement change data or schema; it is committed")
    boolean write;

    @Parameters(arity = "1..*", paramLabel = "STATEMENT", description = "The statement (quote it on a command line)")
    List<String> words = new ArrayList<>();

    @Override
    public Integer call() throws Exception {
        SqlStatement statement = onlyStatement(String.join(" ", words));
        try (Context ctx = root.openContext(); Connection conn = ctx.database().connection()) {
            if (write) {
                Confirmation.require(ctx.console(), ctx.url(), root.yes(), "run a statement that may write");
            }
            // Statements such as VACUUM cannot run in a transaction block: they run on their own.
            boolean ownTransaction = statement.txMode() != SqlStatement.TxMode.NO_TRANSACTION;
            if (!ownTransaction && !write) {
                throw PgshiftException.usage("This statement cannot run in a read-only transaction; "
                        + "if it is meant to change the database, run it with sql --write.");
            }
            conn.setAutoCommit(!ownTransaction);
            long started = System.nanoTime();
            String result;
            try (Statement st = conn.createStatement()) {
                if (!write) {
                    st.execute("SET TRANSACTION READ ONLY");
                }
                st.setMaxRows(MAX_ROWS + 1);
                result = run(st, statement, ctx.console().width());
                if (ownTransaction) {
                    if (write) {
                        conn.commit();
                    } else {
                        conn.rollback();
                    }
                }
            } catch (SQLException e) {
                if (ownTransaction) {
                    conn.rollback();
                }
                throw failure(statement, e);
            }
            long ms = (System.nanoTime() - started) / 1_000_000;
            ctx.console().println(result + " (" + ms + " ms" + (write ? ", committed" : ", read-only") + ")");
            return 0;
        }
    }

    private static SqlStatement onlyStatement(String sql) {
        List<SqlStatement> statements = SqlSplitter.split(sql, "sql").stream().filter(s -> !s.isCommentOnly()).toList();
        if (statements.isEmpty()) {
            throw PgshiftException.usage("No statement given: try sql select now()");
        }
        if (statements.size() > 1) {
            throw PgshiftException.usage("sql runs one statement; this line has " + statements.size()
                    + ". Run them one at a time, or put them in a migration file.");
        }
        SqlStatement only = statements.get(0);
        if (only.txMode() == SqlStatement.TxMode.TRANSACTION_CONTROL) {
            throw PgshiftException.usage("sql runs each statement in a transaction of its own: BEGIN, COMMIT and "
                    + "ROLLBACK are not needed (use --write to commit).");
        }
        return only;
    }

    private static String run(Statement st, SqlStatement statement, int width) throws SQLException {
        if (!st.execute(statement.text())) {
            return st.getUpdateCount() >= 0 ? st.getUpdateCount() + " row(s) affected" : "done";
        }
        try (ResultSet rs = st.getResultSet()) {
            ResultSetMetaData meta = rs.getMetaData();
            String[] headers = new String[meta.getColumnCount()];
            for (int i = 0; i < headers.length; i++) {
                headers[i] = meta.getColumnLabel(i + 1);
            }
            Table table = new Table(headers);
            boolean cut = false;
            while (rs.next()) {
                if (table.size() == MAX_ROWS) {
                    cut = true;
                    break;
                }
                String[] cells = new String[headers.length];
                for (int i = 0; i < cells.length; i++) {
                    String value = rs.getString(i + 1);
                    cells[i] = value == null ? "NULL" : value;
                }
                table.row(cells);
            }
            return table.render(width) + (cut ? "(first " + MAX_ROWS + " rows shown; the result has more: add a "
                    + "WHERE or LIMIT to see the others)" : table.size() + " row(s)");
        }
    }

    /** The same report as a failed migration, with "sql" as the file name. */
    private static PgshiftException failure(SqlStatement statement, SQLException e) {
        int position = e instanceof org.postgresql.util.PSQLException p && p.getServerErrorMessage() != null
                ? p.getServerErrorMessage().getPosition() : 0;
        String report = FailureReport.format("sql", new StatementFailure(statement, List.of(statement), e, position));
        String hint = "25006".equals(e.getSQLState()) ? "\nThe statement was not run: sql is read-only. Run it with "
                + "sql --write to change the database." : "\nNothing was changed: the transaction was rolled back.";
        return PgshiftException.migration(report.stripTrailing() + hint);
    }
}
