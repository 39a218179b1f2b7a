package pgshift.db;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.SQLException;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.postgresql.util.PSQLException;
import org.postgresql.util.PSQLState;

import pgshift.migration.SqlStatement;

class FailureReportTest {

    @ParameterizedTest(name = "position {2}")
    @CsvSource(delimiter = '|', value = {
            // statement text (\n = newline) | starts at line:column | server position | expected excerpt (\n = newline)
            "select * from nope | 3:1 | 15 | '  3 | select * from nope\n    |               ^\n'",
            "select 1 | 7:5 | 8 | '  7 |     select 1\n    |            ^\n'",
            "update t\\n   set x = 1\\n where y | 10:1 | 17 | '  10 | update t\n  11 |    set x = 1\n     |        ^\n'",
            "-- c\\ninsert into t values (1) | 4:1 | 0 | '  4 | -- c\n  5 | insert into t values (1)\n'",
    })
    void excerptPointsAtTheErrorInFileCoordinates(String text, String at, int position, String expected) {
        String[] lc = at.split(":");
        SqlStatement statement = new SqlStatement(text.replace("\\n", "\n"), Integer.parseInt(lc[0]),
                Integer.parseInt(lc[1]), SqlStatement.TxMode.NORMAL);
        assertThat(FailureReport.excerpt(statement, position)).isEqualTo(expected);
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
            # statement (\\n = newline)                                            | where the error is
            ALTER ROLE app PASSWORD 'Hunter2Pw9' VALID UNTIL nonsense             | nonsense
            ALTER ROLE app PASSWORD 'Hunter2''Pw9' VALID UNTIL nonsense           | nonsense
            ALTER ROLE app PASSWORD E'Hunter2\\'Pw9' VALID UNTIL nonsense          | nonsense
            ALTER ROLE app PASSWORD U&'Hunter2Pw9' VALID UNTIL nonsense           | nonsense
            CREATE ROLE app LOGIN ENCRYPTED PASSWORD 'Hunter2Pw9' CONNECTION LIMT 5 | LIMT
            ALTER USER app WITH PASSWORD 'Hunter2Pw9' nonsense                    | nonsense
            ALTER ROLE app PASSWORD $$Hunter2Pw9$$ VALID UNTIL nonsense           | nonsense
            ALTER ROLE app PASSWORD $pw$Hunter2$$Pw9$pw$ VALID UNTIL nonsense     | nonsense
            CREATE ROLE app LOGIN PASSWORD\\n  'Hunter2Pw9' CONNECTION LIMT 5     | LIMT
            CREATE ROLE app LOGIN PASSWORD -- its own line\\n  $$Hunter2Pw9$$ LIMT | LIMT
            CREATE ROLE app LOGIN PASSWORD 'Hunter2\\nPw9'\\n  CONNECTION LIMT 5    | LIMT
            CREATE ROLE app LOGIN PASSWORD 'Hunter2Pw9'\\n  CONNECTION LIMT 5      | LIMT
            ALTER ROLE a PASSWORD 'Hunter2Pw9' LOGIN; ALTER ROLE b PASSWORD $$Hunter2Pw9$$ nonsense | nonsense
            CREATE ROLE app LOGIN PASSWORD Hunter2Pw9 VALID UNTIL nonsense        | nonsense
            -- a comment\\nalter user app with encrypted password "Hunter2Pw9" nonsense | nonsense
            """)
    void passwordsAreMaskedAndTheCaretStillPointsAtTheError(String text, String token) {
        String sql = text.replace("\\n", "\n");
        SqlStatement statement = new SqlStatement(sql, 12, 5, SqlStatement.TxMode.NORMAL);
        int position = sql.codePointCount(0, sql.indexOf(token)) + 1;

        String excerpt = FailureReport.excerpt(statement, position);

        assertThat(excerpt).doesNotContain("Hunter2").doesNotContain("Pw9").contains("***");
        String[] lines = excerpt.split("\n");
        String caretLine = lines[lines.length - 1];
        String errorLine = lines[lines.length - 2];
        int caret = caretLine.indexOf('^');
        assertThat(errorLine.substring(caret)).as(excerpt).startsWith(token);
        int lineNumber = 12 + (int) sql.substring(0, sql.indexOf(token)).chars().filter(c -> c == '\n').count();
        assertThat(errorLine).as("numbered as in the file").startsWith("  " + lineNumber + " | ");
    }

    @Test
    void theWholeReportNeverShowsThePassword() {
        String sql = "CREATE ROLE app LOGIN PASSWORD\n  $tag$Hunter2Pw9$tag$ CONNECTION LIMT 5";
        SqlStatement statement = new SqlStatement(sql, 3, 1, SqlStatement.TxMode.NORMAL);
        SQLException error = new PSQLException("syntax error at or near \"LIMT\"", PSQLState.SYNTAX_ERROR);
        int position = sql.indexOf("LIMT") + 1;

        String report = FailureReport.format("20260101000000_roles.sql",
                new StatementFailure(statement, List.of(statement), error, position));

        assertThat(report).doesNotContain("Hunter2").doesNotContain("Pw9")
                .startsWith("20260101000000_roles.sql:4:35\n")
                .contains("  3 | CREATE ROLE app LOGIN PASSWORD\n  4 |   '***' CONNECTION LIMT 5\n"
                        + "    |                    ^\n");
    }

    @Test
    void aBarePasswordInARoleStatementIsMaskedWhereTheServerQuotesIt() {
        String sql = "CREATE ROLE app LOGIN PASSWORD Hunter2Pw9";
        SqlStatement statement = new SqlStatement(sql, 1, 1, SqlStatement.TxMode.NORMAL);
        SQLException error = new PSQLException("ERROR: syntax error at or near \"Hunter2Pw9\"", PSQLState.SYNTAX_ERROR);

        String report = FailureReport.format("1_roles.sql",
                new StatementFailure(statement, List.of(statement), error, sql.indexOf("Hunter") + 1));

        assertThat(report).doesNotContain("Hunter2").contains("at or near \"***\"")
                .contains("  1 | CREATE ROLE app LOGIN PASSWORD ***\n    |                                ^\n");
    }

    @Test
    void aPasswordColumnIsNotTakenForAPassword() {
        String sql = "CREATE TABLE users (password text, nme text NOT NULLX)";
        SqlStatement statement = new SqlStatement(sql, 1, 1, SqlStatement.TxMode.NORMAL);

        assertThat(FailureReport.excerpt(statement, sql.indexOf("NULLX") + 1))
                .isEqualTo("  1 | " + sql + "\n    | " + " ".repeat(sql.indexOf("NULLX")) + "^\n");
    }
}
