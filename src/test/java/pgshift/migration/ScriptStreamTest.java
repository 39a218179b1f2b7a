package pgshift.migration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import pgshift.PgshiftException;

class ScriptStreamTest {

    @TempDir
    Path dir;

    @Test
    void streamsEveryStatementThenKeepsSayingItEnded() throws Exception {
        StringBuilder sql = new StringBuilder("-- pgshift:no-transaction\n");
        for (int i = 0; i < 10_000; i++) {
            sql.append("insert into t values (").append(i).append(");\n");
        }
        MigrationFile file = MigrationFile.parse(Files.writeString(dir.resolve("1_big.sql"), sql)).orElseThrow();
        try (ScriptStream stream = ScriptStream.open(file)) {
            SqlStatement first = stream.next();
            assertThat(stream.noTransactionDirective()).isTrue();
            assertThat(first.text()).endsWith("insert into t values (0)");
            int count = 1;
            SqlStatement last = first;
            for (SqlStatement s = stream.next(); s != null; s = stream.next()) {
                count++;
                last = s;
            }
            assertThat(count).isEqualTo(10_000);
            assertThat(last.line()).isEqualTo(10_001);
            assertThat(stream.next()).isNull();
            assertThat(stream.next()).isNull();
        }
    }

    @Test
    void aSplitErrorSurfacesAfterTheStatementsBeforeIt() throws Exception {
        MigrationFile file = MigrationFile.parse(Files.writeString(dir.resolve("1_meta.sql"),
                "select 1;\n\\i other.sql\n")).orElseThrow();
        try (ScriptStream stream = ScriptStream.open(file)) {
            assertThat(stream.next().text()).isEqualTo("select 1");
            assertThatThrownBy(stream::next).isInstanceOf(PgshiftException.class).hasMessageContaining("1_meta.sql:2:1");
        }
    }

    @Test
    void closingEarlyLetsTheSplitterGo() throws Exception {
        StringBuilder sql = new StringBuilder();
        for (int i = 0; i < 50_000; i++) {
            sql.append("select ").append(i).append(";\n");
        }
        MigrationFile file = MigrationFile.parse(Files.writeString(dir.resolve("1_many.sql"), sql)).orElseThrow();
        ScriptStream stream = ScriptStream.open(file);
        assertThat(stream.next().text()).isEqualTo("select 0");
        stream.close(); // the splitter thread stops offering once closed; the test would hang otherwise
    }
}
