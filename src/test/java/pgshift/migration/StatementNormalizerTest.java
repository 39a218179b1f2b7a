package pgshift.migration;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class StatementNormalizerTest {

    record Pair(String name, String left, String right, boolean same) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Pair same(String name, String left, String right) {
        return new Pair(name, left, right, true);
    }

    static Pair different(String name, String left, String right) {
        return new Pair(name, left, right, false);
    }

    static Stream<Pair> pairs() {
        return Stream.of(
                same("space before a parenthesis", "create table t (a int)", "create  table t(a int)"),
                same("layout across lines", "create table t (\n  a int,\n  b text\n)", "create table t (a int, b text)"),
                same("tabs and CRLF", "select\t1\r\nfrom\tt", "select 1 from t"),
                same("spaces around commas and operators", "insert into t values ( 1 , 2+3 )", "insert into t values (1,2 + 3)"),
                same("line comment", "select 1 -- one\n", "select 1"),
                same("nested block comment", "select /* a /* nested */ b */ 1", "select 1"),
                same("comment separates words like a space", "select a/**/from t", "select a from t"),
                same("comment between operators", "select 1 - -- note\n1", "select 1 - 1"),
                same("whitespace and comments inside a function body",
                        "create function f() returns int as $$\n  -- body\n  select  1 ;\n$$ language sql",
                        "create function f() returns int as $$select 1;$$ language sql"),
                same("nested dollar quotes inside a body", "do $a$ begin execute $b$ select  1 $b$; end $a$",
                        "do $a$begin execute $b$select 1$b$;end$a$"),
                different("spaces inside a string", "select 'a  b'", "select 'a b'"),
                different("comment text inside a string is data", "select 'it''s -- not a comment'", "select 'it''s'"),
                different("spaces inside a quoted identifier", "select \"a  b\"", "select \"a b\""),
                different("spaces inside an E string", "select E'a\\'  b'", "select E'a\\' b'"),
                different("case is kept", "SELECT 1", "select 1"),
                different("words stay apart", "select a from t", "select a fromt"),
                different("dollar tags are kept", "select $a$ x $a$", "select $b$ x $b$"),
                different("a $ word stays apart from the previous word", "select a $1", "select a$1"),
                different("adjacent strings are not a doubled quote", "select 'a'\n'b'", "select 'a''b'"),
                different("adjacent quoted identifiers are not a doubled quote", "select \"a\" \"b\"", "select \"a\"\"b\""),
                same("layout of a COPY command", "COPY t (a, b)\n  FROM stdin;\n1\tx\n\\.", "COPY t(a,b) FROM stdin;\n1\tx\n\\."),
                different("a tab in COPY data made spaces", "copy t from stdin;\n1\tx\n\\.", "copy t from stdin;\n1  x\n\\."),
                different("an edit after -- in COPY data", "copy t from stdin;\n1\t-- a\n\\.", "copy t from stdin;\n1\t-- b\n\\."));
    }

    static Stream<List<String>> forms() {
        return Stream.of(
                List.of("  create  table t ( a int ) ; -- x\n", "create table t(a int);"),
                List.of("-- only a comment", ""),
                List.of("/* only */ -- comments\n", ""),
                List.of("select 'a  b',\"c  d\" ,  E'\\'  x'", "select'a  b',\"c  d\",E'\\'  x'"),
                List.of("select $fn$  a  /* c */ b  $fn$", "select $fn$a b$fn$"),
                List.of("select  1 as  \"x\"", "select 1 as\"x\""));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("pairs")
    void comparesIgnoringWhitespaceAndComments(Pair pair) {
        String left = StatementNormalizer.normalize(pair.left());
        String right = StatementNormalizer.normalize(pair.right());

        if (pair.same()) {
            assertThat(left).isEqualTo(right);
        } else {
            assertThat(left).isNotEqualTo(right);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("forms")
    void producesTheExpectedForm(List<String> inputAndForm) {
        assertThat(StatementNormalizer.normalize(inputAndForm.get(0))).isEqualTo(inputAndForm.get(1));
    }

    @Test
    void normalizeAllDropsCommentOnlyStatements() {
        assertThat(StatementNormalizer.normalizeAll(List.of("create table t ( a int )", "-- done", "select  1")))
                .containsExactly("create table t(a int)", "select 1");
    }

    @Test
    void tablesHaveEnoughCases() {
        assertThat(pairs().count() + forms().count()).isGreaterThanOrEqualTo(15);
    }

    @Test
    void afterStandardConformingStringsOffAnEditInsideAStringIsAnEdit() {
        // Read with the setting on, "-- a'" would be a comment and the edit would go unseen.
        List<String> before = List.of("set standard_conforming_strings = off", "select 'it\\'s -- a'");
        List<String> after = List.of("set standard_conforming_strings = off", "select 'it\\'s -- b'");

        assertThat(StatementNormalizer.normalizeAll(before)).isNotEqualTo(StatementNormalizer.normalizeAll(after));
        assertThat(StatementNormalizer.normalizeAll(before)).containsExactly("set standard_conforming_strings=off",
                "select'it\\'s -- a'");
    }
}
