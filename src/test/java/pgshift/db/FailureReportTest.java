package pgshift.db;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

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
}
