package pgshift.migration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import pgshift.failure.PgshiftException;

class CopyBlockTest {

    /** What pg_dump --data-only writes, with data that would confuse a SQL lexer. */
    static final String PG_DUMP = """
            --
            -- Data for Name: t; Type: TABLE DATA; Schema: public; Owner: postgres
            --

            COPY public.t (id, name, note) FROM stdin;
            1\tO'Brien\t; -- not a comment
            2\t\\N\t$$ C:\\\\dir\\ttab /* open
            3\tÄ😀\t\\.x;
            \\.


            select 1;
            """;

    /** A script holding one COPY block, the block's command and data, and the statements around it. */
    record Case(String name, String script, String command, String data, List<String> others) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Case> cases() {
        return Stream.of(
                new Case("pg_dump text format with quotes, ;, --, $$, /*, \\N and non-ASCII in the data", PG_DUMP,
                        "--\n-- Data for Name: t; Type: TABLE DATA; Schema: public; Owner: postgres\n--\n\n"
                                + "COPY public.t (id, name, note) FROM stdin",
                        "1\tO'Brien\t; -- not a comment\n2\t\\N\t$$ C:\\\\dir\\ttab /* open\n3\tÄ😀\t\\.x;\n",
                        List.of("select 1")),
                new Case("csv with a header and a quoted field spanning lines",
                        "create table t (a int, b text);\nCOPY t (a, b) FROM STDIN WITH (FORMAT csv, HEADER true);\n"
                                + "a,b\n1,\"x;y\"\n2,\"two\n\\.lines\"\n\\.\n",
                        "COPY t (a, b) FROM STDIN WITH (FORMAT csv, HEADER true)",
                        "a,b\n1,\"x;y\"\n2,\"two\n\\.lines\"\n", List.of("create table t (a int, b text)")),
                new Case("old-style CSV HEADER options, lower case", "copy t from stdin csv header;\na\n1\n\\.\n",
                        "copy t from stdin csv header", "a\n1\n", List.of()),
                new Case("CRLF line ends", "copy t from stdin;\r\n1\tx\r\n\\.\r\nselect 2;\r\n",
                        "copy t from stdin", "1\tx\r\n", List.of("select 2")),
                new Case("end-of-data line at the very end of the file, without a newline",
                        "copy t from stdin;\n1\n\\.", "copy t from stdin", "1\n", List.of()),
                new Case("no data rows", "copy t from stdin;\n\\.\nselect 2;", "copy t from stdin", "", List.of("select 2")),
                new Case("a comment after the ; on the command's line", "copy t from stdin; -- rows; more\n1\n\\.\n",
                        "copy t from stdin", "1\n", List.of()),
                new Case("comments and a WHERE clause in the command",
                        "copy /* x */ t from /* y */ stdin where a > 1;\n1\n\\.\n",
                        "copy /* x */ t from /* y */ stdin where a > 1", "1\n", List.of()),
                new Case("a line starting with \\. but holding more is data", "copy t from stdin;\n\\.5\n \\.\n\\.\n",
                        "copy t from stdin", "\\.5\n \\.\n", List.of()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void aCopyBlockIsOneStatementHoldingTheCommandAndItsData(Case c) {
        List<SqlStatement> statements = SqlSplitter.split(c.script(), "m.sql");

        List<SqlStatement> copies = statements.stream().filter(SqlStatement::isCopyFromStdin).toList();
        assertThat(copies).hasSize(1);
        SqlStatement copy = copies.get(0);
        assertThat(copy.copyCommand()).isEqualTo(c.command());
        assertThat(copy.copyData()).isEqualTo(c.data());
        assertThat(copy.text()).startsWith(c.command() + ";").endsWith("\\.");
        assertThat(copy.txMode()).isEqualTo(SqlStatement.TxMode.NORMAL);
        assertThat(statements.stream().filter(s -> !s.isCopyFromStdin()).map(SqlStatement::text))
                .containsExactlyElementsOf(c.others());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void streamingOneCharAtATimeGivesTheSameStatements(Case c) throws IOException {
        SqlSplitter splitter = new SqlSplitter(new OneCharAtATime(c.script()), "m.sql");
        List<SqlStatement> streamed = new ArrayList<>();
        for (SqlStatement s = splitter.next(); s != null; s = splitter.next()) {
            streamed.add(s);
        }

        assertThat(streamed).isEqualTo(SqlSplitter.split(c.script(), "m.sql"));
    }

    @Test
    void theLedgerTextRunsFromTheCommandThroughTheEndOfDataLineAndKeepsThePositions() {
        List<SqlStatement> statements = SqlSplitter.split(PG_DUMP, "m.sql");

        SqlStatement copy = statements.get(0);
        assertThat(copy.text()).isEqualTo(PG_DUMP.substring(0, PG_DUMP.indexOf("\\.\n\n") + 2));
        assertThat(copy.line()).isEqualTo(1);
        assertThat(statements.get(1).line()).as("the statement after the block").isEqualTo(12);
        assertThat(copy.positionAt(copy.copyDataLineOffset(3))).isEqualTo(new TextPosition(8, 1));
        assertThat(copy.positionAt(copy.copyDataLineOffset(1))).isEqualTo(new TextPosition(6, 1));
        assertThat(copy.positionAt(copy.copyDataLineOffset(99))).as("clamped to the last data line")
                .isEqualTo(new TextPosition(8, 1));
    }

    @Test
    void otherCopyCommandsStayPlainStatements() {
        for (String script : List.of("copy t from '/srv/t.csv';\nselect 1;", "copy t to stdout;\nselect 1;",
                "copy (select * from stdin_log) to stdout;\nselect 1;", "copy t from program 'cat t';\nselect 1;",
                "select 'copy t from stdin';\nselect 1;", "copy t (\"from\") from 'stdin';\nselect 1;")) {
            List<SqlStatement> statements = SqlSplitter.split(script, "m.sql");
            assertThat(statements).as(script).hasSize(2).noneMatch(SqlStatement::isCopyFromStdin);
        }
    }

    @Test
    void aMissingEndOfDataLineNamesWhereTheCopyBegan() {
        assertThatThrownBy(() -> SqlSplitter.split("select 1;\n\n  COPY t (a) FROM stdin;\n1\n2\n\\.x\n", "db/1_seed.sql"))
                .isInstanceOf(PgshiftException.class)
                .hasMessageStartingWith("db/1_seed.sql:3:3: the COPY ... FROM stdin that starts here has no end-of-data line")
                .hasMessageContaining("holding only \\. (backslash, period)");
        assertThatThrownBy(() -> SqlSplitter.split("copy t from stdin;", "m.sql"))
                .as("the file ends on the command's line").hasMessageStartingWith("m.sql:1:1: the COPY");
    }

    @Test
    void textAfterTheCommandOnItsLineIsRefused() {
        assertThatThrownBy(() -> SqlSplitter.split("copy t from stdin; select 1;\n1\n\\.\n", "m.sql"))
                .isInstanceOf(PgshiftException.class)
                .hasMessageStartingWith("m.sql:1:19: text follows the ; of COPY ... FROM stdin");
    }

    @Test
    void otherMetaCommandsAroundACopyBlockAreStillRefused() {
        assertThatThrownBy(() -> SqlSplitter.split("copy t from stdin;\n1\n\\.\n\\i other.sql\n", "m.sql"))
                .isInstanceOf(PgshiftException.class)
                .hasMessageStartingWith("m.sql:4:1: found the psql meta-command \\i");
        assertThatThrownBy(() -> SqlSplitter.split("copy t from '/x';\n1\n\\.\n", "m.sql"))
                .as("data after a COPY from a server file is not COPY data")
                .hasMessageStartingWith("m.sql:3:1: found \\., which ends the data of a COPY ... FROM stdin, but no COPY");
    }

    @Test
    void markersAndSettingsInTheDataAreNotRead() throws IOException {
        String script = "set standard_conforming_strings = off;\ncopy t from stdin;\n"
                + "1\t-- postgres-migrations disable-transaction\n2\tset standard_conforming_strings = on;\n\\.\n"
                + "select 'it\\'s';\n";
        SqlSplitter splitter = new SqlSplitter(new StringReader(script), "m.sql");
        List<SqlStatement> statements = new ArrayList<>();
        for (SqlStatement s = splitter.next(); s != null; s = splitter.next()) {
            statements.add(s);
        }

        assertThat(splitter.noTransactionDirective()).isFalse();
        assertThat(statements).extracting(SqlStatement::text).last().isEqualTo("select 'it\\'s'");
        assertThat(statements.get(1).changesStandardConformingStrings()).isFalse();
    }

    /** Hands out one char per read, so every token and data line crosses buffer ends. */
    private static final class OneCharAtATime extends Reader {
        private final String text;
        private int position;

        OneCharAtATime(String text) {
            this.text = text;
        }

        @Override
        public int read(char[] target, int offset, int length) {
            if (position == text.length()) {
                return -1;
            }
            target[offset] = text.charAt(position++);
            return 1;
        }

        @Override
        public void close() {
        }
    }
}
