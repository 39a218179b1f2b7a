package pgshift.db;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import pgshift.migration.SqlStatement;

class StatementRunnerTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "insert into t values (1) | false",
            "-- seed\\nINSERT INTO t VALUES (1) | false",
            "/* a */ create table t (id int) | false",
            "update t set x = 1 | false",
            "insert into t values (1) returning id | true",
            "DELETE FROM t RETURNING * | true",
            "update t set g = 1 ReTuRnInG g | true",
            "insert into t (returnin, eturning, g) values (1) | false",
            "insert into t (going) values (1) returning\\nid | true",
            "select count(*) from t | true",
            "with x as (delete from t) select 1 | true",
            "do $$ begin raise notice 'hi'; end $$ | true",
            "call refresh_all() | true",
            "values (1) | true",
            "explain select 1 | true",
    })
    void onlyStatementsThatAnswerWithACommandTagArePipelined(String text, boolean mayReply) {
        SqlStatement statement = new SqlStatement(text.replace("\\n", "\n"), 1, 1, SqlStatement.TxMode.NORMAL);
        assertThat(StatementRunner.mayReplyWithRows(statement)).isEqualTo(mayReply);
    }
}
