package pgshift.migration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import pgshift.failure.PgshiftException;

/** A file split on its own thread yields the statements a split ahead yields, and then what stopped it. */
class ScriptStreamTest {

    @TempDir
    Path dir;

    private MigrationFile write(String name, String sql) throws Exception {
        return MigrationFile.parse(Files.writeString(dir.resolve(name), sql)).orElseThrow();
    }

    private static String rows(int n) {
        StringBuilder sql = new StringBuilder();
        for (int i = 0; i < n; i++) {
            sql.append("insert into t values (").append(i).append(");\n");
        }
        return sql.toString();
    }

    @Test
    void aStreamedFileYieldsTheStatementsOfTheWholeScriptInOrder() throws Exception {
        MigrationFile file = write("1_rows.sql", "create table t (id int);\n" + rows(1000));
        ScriptStream stream = ScriptStream.split(file, script -> { });

        List<SqlStatement> seen = new ArrayList<>();
        for (SqlStatement s = stream.next(); s != null; s = stream.next()) {
            seen.add(s);
        }

        assertThat(seen).containsExactlyElementsOf(MigrationScript.load(file).statements());
        assertThat(stream.whole().statements()).containsExactlyElementsOf(seen);
        assertThat(stream.mayRunWithoutTransaction()).isFalse();
    }

    @Test
    void statementsBeforeALateSplitErrorAreYieldedAndThenTheErrorIsThrown() throws Exception {
        ScriptStream stream = ScriptStream.split(write("1_late.sql", rows(600) + "select 'never closed;\n"), s -> { });

        int yielded = 0;
        try {
            while (stream.next() != null) {
                yielded++;
            }
            throw new AssertionError("the unterminated quote was not reported");
        } catch (PgshiftException e) {
            assertThat(e.getMessage()).contains("1_late.sql:601:").contains("never closed");
        }
        assertThat(yielded).as("the statements handed over before the error").isGreaterThan(0).isLessThanOrEqualTo(600);
        assertThatThrownBy(stream::whole).hasMessageContaining("never closed");
    }

    @Test
    void whatTheCheckThrowsIsThrownInsteadOfTheWholeScript() throws Exception {
        ScriptStream stream = ScriptStream.split(write("1_checked.sql", rows(10)), script -> {
            throw PgshiftException.migration("refused: " + script.statements().size());
        });

        assertThatThrownBy(stream::whole).hasMessage("refused: 10");
    }

    @Test
    void aFileThatMayNeedNoTransactionSaysSoBeforeItIsSplit() throws Exception {
        ScriptStream stream = ScriptStream.split(write("1_vacuum.sql", rows(10) + "vacuum t;\n"), s -> { });

        assertThat(stream.mayRunWithoutTransaction()).isTrue();
        assertThat(stream.whole().runsWithoutTransaction()).isTrue();
    }

    @Test
    void theActionOnTheWholeScriptRunsOnceSplitAndNeverAfterClose() throws Exception {
        MigrationFile file = write("1_rows.sql", rows(2000));
        ScriptStream split = ScriptStream.split(file, s -> { });
        AtomicReference<MigrationScript> seen = new AtomicReference<>();
        split.whenSplit(seen::set);
        MigrationScript whole = split.whole();
        assertThat(seen.get()).isSameAs(whole);

        ScriptStream closed = ScriptStream.split(file, s -> { });
        AtomicReference<MigrationScript> late = new AtomicReference<>();
        closed.close();
        closed.whenSplit(late::set);
        assertThat(late.get()).as("no action after close").isNull();

        ScriptStream ahead = ScriptStream.of(MigrationScript.load(file));
        AtomicReference<MigrationScript> now = new AtomicReference<>();
        ahead.whenSplit(now::set);
        assertThat(now.get()).as("a script split ahead runs it at once").isNotNull();
    }
}
