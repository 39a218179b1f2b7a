package pgshift.migration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static pgshift.migration.SqlStatement.TxMode.NORMAL;
import static pgshift.migration.SqlStatement.TxMode.NO_TRANSACTION;
import static pgshift.migration.SqlStatement.TxMode.TRANSACTION_CONTROL;

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
import pgshift.migration.SqlStatement.TxMode;

class SqlSplitterTest {

    /**
     * One script and what the splitter must make of it; positions ("line:column"), tx modes and
     * the directive are only checked when a case sets them.
     */
    record Case(String name, String script, List<String> texts, List<String> positions,
                List<TxMode> modes, Boolean directive) {

        Case at(String... expected) {
            return new Case(name, script, texts, List.of(expected), modes, directive);
        }

        Case modes(TxMode... expected) {
            return new Case(name, script, texts, positions, List.of(expected), directive);
        }

        Case directive(boolean expected) {
            return new Case(name, script, texts, positions, modes, expected);
        }

        @Override
        public String toString() {
            return name;
        }
    }

    static Case split(String name, String script, String... texts) {
        return new Case(name, script, List.of(texts), null, null, null);
    }

    static Stream<Case> cases() {
        return Stream.of(
                // Quotes of every kind keep their ; inside.
                split("plain string with ;", "select 'a;b'; select 2;", "select 'a;b'", "select 2"),
                split("doubled quote in string", "select 'it''s; fine';select 2;", "select 'it''s; fine'", "select 2"),
                split("E string with escaped quote", "select E'it\\'s; ok'; select 2;",
                        "select E'it\\'s; ok'", "select 2"),
                split("doubled quote inside an E string", "select E'x''; \\''; select 2;",
                        "select E'x''; \\''", "select 2"),
                split("e string with escaped backslash before the closing quote", "select e'a\\\\'; select 2;",
                        "select e'a\\\\'", "select 2"),
                split("backslash in a plain string is literal, not an escape", "select 'C:\\'; select 2;",
                        "select 'C:\\'", "select 2"),
                split("identifier ending in e before a quote is not an E string", "select somee'a\\'; select 2;",
                        "select somee'a\\'", "select 2"),
                split("U& string", "select U&'d\\0061t;a'; select 2;", "select U&'d\\0061t;a'", "select 2"),
                split("bit, hex and national strings", "select B'1;0', X'1;F', N'x;y'; select 2;",
                        "select B'1;0', X'1;F', N'x;y'", "select 2"),
                split("quoted identifier with ; and doubled quote", "create table \"a;b\" (\"x\"\"y;\" int); select 2;",
                        "create table \"a;b\" (\"x\"\"y;\" int)", "select 2"),
                split("U& quoted identifier", "select U&\"a;b\"; select 2;", "select U&\"a;b\"", "select 2"),
                split("dollar quote with ;", "create function f() returns int as $$ select 1; $$ language sql; select 2;",
                        "create function f() returns int as $$ select 1; $$ language sql", "select 2"),
                split("tagged dollar quote nesting another tag",
                        "do $outer$ begin execute $inner$ select 1; $inner$; end $outer$; select 2;",
                        "do $outer$ begin execute $inner$ select 1; $inner$; end $outer$", "select 2"),
                split("dollar tags are case-sensitive", "select $a$ x $A$ ; $a$; select 2;",
                        "select $a$ x $A$ ; $a$", "select 2"),
                split("$$ inside a tagged dollar quote", "select $x$ $$ ; $x$; select 2;",
                        "select $x$ $$ ; $x$", "select 2"),
                split("$1 parameters are not dollar quotes", "prepare q (int) as select $1;execute q(1);",
                        "prepare q (int) as select $1", "execute q(1)"),
                split("digits cannot start a dollar tag", "select $1$; select 2;", "select $1$", "select 2"),
                split("$ inside identifiers does not open a quote", "select a$b$c from t; create table t (c$$d int); select 2;",
                        "select a$b$c from t", "create table t (c$$d int)", "select 2"),
                // standard_conforming_strings, followed from the statement after the SET.
                split("scs off: a backslash escapes a quote in a plain string",
                        "set standard_conforming_strings = off;\nselect 'it\\'s; fine';\nselect 2;",
                        "set standard_conforming_strings = off", "select 'it\\'s; fine'", "select 2")
                        .at("1:1", "2:1", "3:1"),
                split("scs off: TO, SESSION, quoted 'off', upper case",
                        "SET SESSION STANDARD_CONFORMING_STRINGS TO 'off'; select 'a\\'b;'; select 2;",
                        "SET SESSION STANDARD_CONFORMING_STRINGS TO 'off'", "select 'a\\'b;'", "select 2"),
                split("scs off: LOCAL, false, 0, \"off\" and the prefix of",
                        "set local standard_conforming_strings = false; select '\\';';"
                                + " set standard_conforming_strings = 0; select '\\';';"
                                + " set \"standard_conforming_strings\" = \"off\"; select '\\';';"
                                + " set standard_conforming_strings to of; select '\\';';",
                        "set local standard_conforming_strings = false", "select '\\';'",
                        "set standard_conforming_strings = 0", "select '\\';'",
                        "set \"standard_conforming_strings\" = \"off\"", "select '\\';'",
                        "set standard_conforming_strings to of", "select '\\';'"),
                split("scs: the SET itself is read with the old value",
                        "set standard_conforming_strings = off; select 'C:\\\\'; set standard_conforming_strings = on;"
                                + " select 'C:\\'; select 2;",
                        "set standard_conforming_strings = off", "select 'C:\\\\'", "set standard_conforming_strings = on",
                        "select 'C:\\'", "select 2"),
                split("scs back on with RESET, RESET ALL, DISCARD ALL and DEFAULT",
                        "set standard_conforming_strings = off; reset standard_conforming_strings; select 'a\\';"
                                + " set standard_conforming_strings = off; RESET ALL; select 'a\\';"
                                + " set standard_conforming_strings = off; discard all; select 'a\\';"
                                + " set standard_conforming_strings = off; set standard_conforming_strings to default;"
                                + " select 'a\\';",
                        "set standard_conforming_strings = off", "reset standard_conforming_strings", "select 'a\\'",
                        "set standard_conforming_strings = off", "RESET ALL", "select 'a\\'",
                        "set standard_conforming_strings = off", "discard all", "select 'a\\'",
                        "set standard_conforming_strings = off", "set standard_conforming_strings to default",
                        "select 'a\\'"),
                split("scs: settings that do not change it",
                        "set standard_conforming_strings = maybe; select 'a\\'; set search_path = off; select 'b\\';"
                                + " alter database d set standard_conforming_strings = off; select 'c\\';"
                                + " reset search_path; set standard_conforming_strings = off, on; select 'd\\';",
                        "set standard_conforming_strings = maybe", "select 'a\\'", "set search_path = off",
                        "select 'b\\'", "alter database d set standard_conforming_strings = off", "select 'c\\'",
                        "reset search_path", "set standard_conforming_strings = off, on", "select 'd\\'"),
                split("scs off: E, B, X strings, dollar quotes and quoted identifiers keep their own rules",
                        "/* legacy dump */ set standard_conforming_strings = off; select E'\\\\', X'1\\', B'0\\';"
                                + " select $$a\\$$, \"b\\\"; select 'x''y\\\\'; select 2;",
                        "/* legacy dump */ set standard_conforming_strings = off", "select E'\\\\', X'1\\', B'0\\'",
                        "select $$a\\$$, \"b\\\"", "select 'x''y\\\\'", "select 2"),
                // Comments.
                split("line comment with ;", "select 1 -- not; here\n; select 2;", "select 1 -- not; here", "select 2"),
                split("nested block comment with ;", "select /* a /* b; */ c; */ 1; select 2;",
                        "select /* a /* b; */ c; */ 1", "select 2"),
                split("quote inside a comment is not a quote", "select 1; -- it's\nselect 2; /* \" $$ */ select 3;",
                        "select 1", "-- it's\nselect 2", "/* \" $$ */ select 3"),
                split("comment before a statement stays with it", "-- make t\ncreate table t();",
                        "-- make t\ncreate table t()").at("1:1"),
                split("comment after a statement belongs to the next", "select 1; -- one\nselect 2;",
                        "select 1", "-- one\nselect 2").at("1:1", "1:11"),
                split("trailing comment is a statement of its own", "select 1;\n-- done\n", "select 1", "-- done")
                        .at("1:1", "2:1").modes(NORMAL, NORMAL),
                split("trailing ; of a trailing comment is trimmed like Supabase", "select 1;\n-- done;",
                        "select 1", "-- done"),
                // Parentheses and SQL-standard routine bodies.
                split("; inside parentheses does not split",
                        "create rule r as on insert to t do also (insert into a values (1); notify c); select 3;",
                        "create rule r as on insert to t do also (insert into a values (1); notify c)", "select 3"),
                split("nested parentheses close one level at a time",
                        "create rule r as on insert to t do ((select 1); notify c); select 3;",
                        "create rule r as on insert to t do ((select 1); notify c)", "select 3"),
                split("stray ) does not make the depth negative", "select 1); select 2;", "select 1)", "select 2"),
                split("BEGIN ATOMIC body",
                        "create function f() returns int language sql begin atomic select 1; select 2; end; select 3;",
                        "create function f() returns int language sql begin atomic select 1; select 2; end", "select 3"),
                split("BEGIN ATOMIC with CASE ... END inside",
                        "create or replace procedure p() language sql\nbegin atomic\n  insert into t values (1);\n"
                                + "  select case when true then 1 else 2 end;\nend;\nselect 3;",
                        "create or replace procedure p() language sql\nbegin atomic\n  insert into t values (1);\n"
                                + "  select case when true then 1 else 2 end;\nend", "select 3")
                        .at("1:1", "6:1"),
                split("BEGIN ATOMIC upper case with a comment between the words",
                        "CREATE PROCEDURE p() LANGUAGE SQL BEGIN /* x */ ATOMIC UPDATE t SET a = 1; END; SELECT 1;",
                        "CREATE PROCEDURE p() LANGUAGE SQL BEGIN /* x */ ATOMIC UPDATE t SET a = 1; END", "SELECT 1"),
                split("END inside a longer word does not end the body",
                        "create function f() returns int language sql begin atomic select backend; select 1 as end_x; end; select 2;",
                        "create function f() returns int language sql begin atomic select backend; select 1 as end_x; end",
                        "select 2"),
                split("BEGIN ATOMIC: end as a column label in parentheses",
                        "create function f() returns int language sql begin atomic select (select 1 as end); end; select 2;",
                        "create function f() returns int language sql begin atomic select (select 1 as end); end",
                        "select 2"),
                split("BEGIN ATOMIC: case as a label in parentheses, case_col as a name",
                        "create function f() returns int language sql begin atomic\n"
                                + "  select (case_col) from (select 1 as case) s(case_col);\n  select 2;\nend;\nselect 3;",
                        "create function f() returns int language sql begin atomic\n"
                                + "  select (case_col) from (select 1 as case) s(case_col);\n  select 2;\nend",
                        "select 3").at("1:1", "5:1"),
                split("BEGIN ATOMIC: CASE WHEN ... END at the body's level and inside parentheses",
                        "create or replace function grade(n int) returns text language sql\nbegin atomic\n"
                                + "  select case when n > 90 then 'a' when n > (case when n < 0 then 0 else 50 end) then 'b'"
                                + " else 'c' end;\nend;\nselect grade(1);",
                        "create or replace function grade(n int) returns text language sql\nbegin atomic\n"
                                + "  select case when n > 90 then 'a' when n > (case when n < 0 then 0 else 50 end) then 'b'"
                                + " else 'c' end;\nend",
                        "select grade(1)").at("1:1", "5:1"),
                split("BEGIN ATOMIC: nested parentheses with end and case as labels",
                        "create procedure p() language sql begin atomic insert into t select * from "
                                + "((select 1 as end) union (select (select 2 as case))) x; end; select 3;",
                        "create procedure p() language sql begin atomic insert into t select * from "
                                + "((select 1 as end) union (select (select 2 as case))) x; end",
                        "select 3"),
                split("BEGIN ATOMIC: end after AS or a dot is a label, not the end of the body",
                        "create function f() returns int language sql begin atomic select 1 as end;"
                                + " select t.end from t; select 3; end; select 4;",
                        "create function f() returns int language sql begin atomic select 1 as end;"
                                + " select t.end from t; select 3; end",
                        "select 4"),
                split("ATOMIC outside a routine is an ordinary word", "select begin atomic from t; select 2;",
                        "select begin atomic from t", "select 2"),
                split("begin.atomic as a qualified name is not a body",
                        "create function f() returns int language sql return begin.atomic; select 2;",
                        "create function f() returns int language sql return begin.atomic", "select 2"),
                // Statement boundaries and trimming.
                split("missing final ;", "select 1;\nselect 2", "select 1", "select 2").at("1:1", "2:1"),
                split("empty statements are dropped", ";;select 1;;  ;\n;select 2;", "select 1", "select 2"),
                split("only semicolons", ";;", new String[0]),
                split("empty script", "", new String[0]),
                split("blank script", "  \n\t\r\n  ", new String[0]),
                split("CRLF kept inside, trimmed at the ends", "select 1;\r\nselect\r\n  2;\r\n",
                        "select 1", "select\r\n  2").at("1:1", "2:1"),
                split("leading blank lines count", "\n\n  select 1;\n\n\tselect 2;", "select 1", "select 2")
                        .at("3:3", "5:2"),
                split("several statements on one line", "select 1;  select 2;select 3;",
                        "select 1", "select 2", "select 3").at("1:1", "1:12", "1:21"),
                split("unicode text, columns in Java chars", "select 'é😀;';select '日本';",
                        "select 'é😀;'", "select '日本'").at("1:1", "1:15"),
                split("Unicode White_Space trimmed like Go's TrimSpace", "\u00A0select 1\u2003;\u3000\u0085;",
                        "select 1").at("1:2"),
                split("zero-width space and U+001C are not Go white space", "\u200Bselect 1;\u001Cselect 2;",
                        "\u200Bselect 1", "\u001Cselect 2"),
                // Statements that cannot run in a transaction block.
                split("create index concurrently", "create index concurrently i on t (a);",
                        "create index concurrently i on t (a)").modes(NO_TRANSACTION),
                split("create unique index concurrently, upper case",
                        "-- fast\nCREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS i ON t (a);",
                        "-- fast\nCREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS i ON t (a)").modes(NO_TRANSACTION),
                split("index named concurrently_idx is a normal create index",
                        "create index concurrently_idx on t (a); create index \"concurrently\" on t (b);",
                        "create index concurrently_idx on t (a)", "create index \"concurrently\" on t (b)")
                        .modes(NORMAL, NORMAL),
                split("unnamed concurrent index", "create index concurrently on t (a);",
                        "create index concurrently on t (a)").modes(NO_TRANSACTION),
                split("drop index concurrently", "drop index concurrently if exists i; drop index i;",
                        "drop index concurrently if exists i", "drop index i").modes(NO_TRANSACTION, NORMAL),
                split("reindex variants",
                        "reindex index concurrently i; reindex table t; reindex (verbose, concurrently) table t;"
                                + " reindex (concurrently false) table t; REINDEX DATABASE app; reindex system;",
                        "reindex index concurrently i", "reindex table t", "reindex (verbose, concurrently) table t",
                        "reindex (concurrently false) table t", "REINDEX DATABASE app", "reindex system")
                        .modes(NO_TRANSACTION, NORMAL, NO_TRANSACTION, NORMAL, NO_TRANSACTION, NO_TRANSACTION),
                split("vacuum, and vacuum where it is not a keyword",
                        "/* c */ VACUUM analyze t;\n-- vacuum\nselect 1; select 'vacuum'; select * from \"vacuum\"; select vacuum_x;",
                        "/* c */ VACUUM analyze t", "-- vacuum\nselect 1", "select 'vacuum'", "select * from \"vacuum\"",
                        "select vacuum_x")
                        .modes(NO_TRANSACTION, NORMAL, NORMAL, NORMAL, NORMAL),
                split("discard all and a whole-database cluster",
                        "discard all; discard temp; cluster; CLUSTER VERBOSE; cluster (verbose); cluster t using i;"
                                + " cluster verbose t; cluster (verbose) t;",
                        "discard all", "discard temp", "cluster", "CLUSTER VERBOSE", "cluster (verbose)",
                        "cluster t using i", "cluster verbose t", "cluster (verbose) t")
                        .modes(NO_TRANSACTION, NORMAL, NO_TRANSACTION, NO_TRANSACTION, NO_TRANSACTION, NORMAL, NORMAL, NORMAL),
                split("alter system, alter table",
                        "alter system set work_mem = '64MB'; alter table t add column c int;",
                        "alter system set work_mem = '64MB'", "alter table t add column c int")
                        .modes(NO_TRANSACTION, NORMAL),
                split("database, tablespace and subscription",
                        "create database d; drop database d; create tablespace x location '/x'; drop tablespace x;"
                                + " create subscription s connection 'c' publication p; drop subscription s;"
                                + " create table database_x (); alter database d set x = 1;",
                        "create database d", "drop database d", "create tablespace x location '/x'",
                        "drop tablespace x", "create subscription s connection 'c' publication p",
                        "drop subscription s", "create table database_x ()", "alter database d set x = 1")
                        .modes(NO_TRANSACTION, NO_TRANSACTION, NO_TRANSACTION, NO_TRANSACTION, NO_TRANSACTION,
                                NO_TRANSACTION, NORMAL, NORMAL),
                split("detach partition concurrently",
                        "alter table m detach partition m_1 concurrently; alter table m detach partition m_1;"
                                + " alter table m detach partition concurrently;"
                                + " alter table only public.m detach partition public.m_1 concurrently;",
                        "alter table m detach partition m_1 concurrently", "alter table m detach partition m_1",
                        "alter table m detach partition concurrently",
                        "alter table only public.m detach partition public.m_1 concurrently")
                        .modes(NO_TRANSACTION, NORMAL, NORMAL, NO_TRANSACTION),
                // DO blocks and procedure calls that commit cannot run in the file's transaction.
                split("DO block that commits in a loop",
                        "do $$\ndeclare r record;\nbegin\n  for r in select id from items loop\n"
                                + "    update items set done = true where id = r.id;\n    commit;\n  end loop;\nend $$;",
                        "do $$\ndeclare r record;\nbegin\n  for r in select id from items loop\n"
                                + "    update items set done = true where id = r.id;\n    commit;\n  end loop;\nend $$")
                        .modes(NO_TRANSACTION),
                split("DO blocks that roll back, in quoted bodies and with LANGUAGE before or after",
                        "DO E'begin perform 1; exception when others then ROLLBACK; end';"
                                + " do language plpgsql 'begin if true then commit; end if; end';"
                                + " do $b$ begin null; commit and chain; end $b$ language 'plpgsql';",
                        "DO E'begin perform 1; exception when others then ROLLBACK; end'",
                        "do language plpgsql 'begin if true then commit; end if; end'",
                        "do $b$ begin null; commit and chain; end $b$ language 'plpgsql'")
                        .modes(NO_TRANSACTION, NO_TRANSACTION, NO_TRANSACTION),
                split("DO blocks with commit only in comments, strings and names stay normal",
                        "do $$ begin -- commit later\n raise notice 'commit'; /* rollback */ perform commit_log(); end $$;"
                                + " do 'begin raise notice ''commit; rollback''; end';"
                                + " do language plpython3u $$plpy.commit()$$; do $$ begin end $$;"
                                + " do $$declare commit int; begin commit := 1; rollback.x = 2; end$$;",
                        "do $$ begin -- commit later\n raise notice 'commit'; /* rollback */ perform commit_log(); end $$",
                        "do 'begin raise notice ''commit; rollback''; end'",
                        "do language plpython3u $$plpy.commit()$$", "do $$ begin end $$",
                        "do $$declare commit int; begin commit := 1; rollback.x = 2; end$$")
                        .modes(NORMAL, NORMAL, NORMAL, NORMAL, NORMAL),
                split("CALL of a procedure created earlier in the file that commits",
                        "call backfill(1);\ncreate procedure backfill(batch int) language plpgsql as $$\nbegin\n  loop\n"
                                + "    update items set done = true where id in (select id from items where not done limit batch);\n"
                                + "    exit when not found;\n    commit;\n  end loop;\nend $$;\n"
                                + "call backfill(1000);\nCALL public.Backfill(10);\ncall other_proc();\n"
                                + "do $$ begin call backfill(5); end $$;",
                        "call backfill(1)",
                        "create procedure backfill(batch int) language plpgsql as $$\nbegin\n  loop\n"
                                + "    update items set done = true where id in (select id from items where not done limit batch);\n"
                                + "    exit when not found;\n    commit;\n  end loop;\nend $$",
                        "call backfill(1000)", "CALL public.Backfill(10)", "call other_proc()",
                        "do $$ begin call backfill(5); end $$")
                        .modes(NORMAL, NORMAL, NO_TRANSACTION, NO_TRANSACTION, NORMAL, NO_TRANSACTION),
                split("CALL of procedures that do not commit, were replaced, or are quoted differently",
                        "create procedure p() language plpgsql as $$ begin insert into t values (1); end $$; call p();"
                                + " create or replace procedure q() as 'begin commit; end' language plpgsql;"
                                + " create or replace procedure q() language plpgsql as 'begin null; end'; call q();"
                                + " create procedure \"Big\"() language plpgsql as $$begin commit; end$$; call \"Big\"(); call big();"
                                + " create procedure s() language sql as 'commit'; call s();",
                        "create procedure p() language plpgsql as $$ begin insert into t values (1); end $$", "call p()",
                        "create or replace procedure q() as 'begin commit; end' language plpgsql",
                        "create or replace procedure q() language plpgsql as 'begin null; end'", "call q()",
                        "create procedure \"Big\"() language plpgsql as $$begin commit; end$$", "call \"Big\"()",
                        "call big()", "create procedure s() language sql as 'commit'", "call s()")
                        .modes(NORMAL, NORMAL, NORMAL, NORMAL, NORMAL, NORMAL, NO_TRANSACTION, NORMAL, NORMAL, NORMAL),
                split("DO body in a plain string with standard_conforming_strings off",
                        "set standard_conforming_strings = off; do 'begin raise notice \\'x;\\'; commit; end';",
                        "set standard_conforming_strings = off", "do 'begin raise notice \\'x;\\'; commit; end'")
                        .modes(NORMAL, NO_TRANSACTION),
                // Statements that start or end a transaction.
                split("transaction control",
                        "begin; start transaction isolation level serializable; commit; END; rollback; abort;"
                                + " commit prepared 'x'; prepare transaction 'x'; rollback prepared 'x'; begin work;",
                        "begin", "start transaction isolation level serializable", "commit", "END", "rollback",
                        "abort", "commit prepared 'x'", "prepare transaction 'x'", "rollback prepared 'x'",
                        "begin work")
                        .modes(TRANSACTION_CONTROL, TRANSACTION_CONTROL, TRANSACTION_CONTROL, TRANSACTION_CONTROL,
                                TRANSACTION_CONTROL, TRANSACTION_CONTROL, TRANSACTION_CONTROL,
                                TRANSACTION_CONTROL, TRANSACTION_CONTROL, TRANSACTION_CONTROL),
                split("a stray BEGIN ATOMIC fragment is not transaction control", "begin atomic; begin;",
                        "begin atomic", "begin").modes(NORMAL, TRANSACTION_CONTROL),
                split("savepoints and look-alikes are normal",
                        "rollback to savepoint a; rollback work to a; savepoint a; release a;"
                                + " prepare transaction as select 1; select 'begin'; start_x();",
                        "rollback to savepoint a", "rollback work to a", "savepoint a", "release a",
                        "prepare transaction as select 1", "select 'begin'", "start_x()")
                        .modes(NORMAL, NORMAL, NORMAL, NORMAL, NORMAL, NORMAL, NORMAL),
                // The -- pgshift:no-transaction directive.
                split("directive on the first line", "-- pgshift:no-transaction\ncreate index concurrently i on t (a);",
                        "-- pgshift:no-transaction\ncreate index concurrently i on t (a)")
                        .directive(true).modes(NO_TRANSACTION),
                split("directive after blank lines, spaced and in capitals",
                        "\n\n  --  PGSHIFT : No-Transaction  \r\nvacuum;",
                        "--  PGSHIFT : No-Transaction  \r\nvacuum").directive(true).at("3:3"),
                split("directive alone", "-- pgshift:no-transaction\n", "-- pgshift:no-transaction").directive(true),
                split("directive not on the first non-blank line", "select 1;\n-- pgshift:no-transaction\n",
                        "select 1", "-- pgshift:no-transaction").directive(false),
                split("directive with extra words is not the directive", "-- pgshift:no-transaction please\nselect 1;",
                        "-- pgshift:no-transaction please\nselect 1").directive(false),
                split("directive in a block comment is not the directive", "/* pgshift:no-transaction */ select 1;",
                        "/* pgshift:no-transaction */ select 1").directive(false),
                // Other tools' markers, each by that tool's rule.
                split("graphile-migrate --! no-transaction on the first line",
                        "--! no-transaction\nalter type t add value 'x';", "--! no-transaction\nalter type t add value 'x'")
                        .directive(true),
                split("graphile-migrate marker after the headers of a committed migration",
                        "--! Previous: sha1:abc\r\n--! Hash: sha1:def\r\n--! Message: add value\r\n\r\n"
                                + "--!no-transaction (enum values)\r\nalter type t add value 'x';",
                        "--! Previous: sha1:abc\r\n--! Hash: sha1:def\r\n--! Message: add value\r\n\r\n"
                                + "--!no-transaction (enum values)\r\nalter type t add value 'x'").directive(true),
                split("graphile-migrate marker is case-sensitive and must start the body",
                        "--! No-Transaction\nselect 1;\n--! no-transaction\nselect 2;",
                        "--! No-Transaction\nselect 1", "--! no-transaction\nselect 2").directive(false),
                split("graphile-migrate marker after SQL or a lower-case header is not the marker",
                        "--! split: 1.sql\n--! no-transaction\nselect 1;", "--! split: 1.sql\n--! no-transaction\nselect 1")
                        .directive(false),
                split("postgres-migrations marker on the first line",
                        "-- postgres-migrations disable-transaction\ncreate index concurrently i on t (a);",
                        "-- postgres-migrations disable-transaction\ncreate index concurrently i on t (a)")
                        .directive(true),
                split("postgres-migrations marker anywhere in a comment, as the tool's includes() check",
                        "select 1;\nselect 2; /* keep: -- postgres-migrations disable-transaction */\nselect 3;",
                        "select 1", "select 2", "/* keep: -- postgres-migrations disable-transaction */\nselect 3")
                        .directive(true),
                split("postgres-migrations marker in a string, or in other case, is not the marker",
                        "select '-- postgres-migrations disable-transaction';\n-- Postgres-Migrations disable-transaction\n",
                        "select '-- postgres-migrations disable-transaction'", "-- Postgres-Migrations disable-transaction")
                        .directive(false));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void splitsLikeSupabaseWithPostgresLexing(Case c) throws IOException {
        List<SqlStatement> statements = SqlSplitter.split(c.script(), "m.sql");

        assertThat(statements).extracting(SqlStatement::text).containsExactlyElementsOf(c.texts());
        if (c.positions() != null) {
            assertThat(statements).extracting(s -> s.line() + ":" + s.column())
                    .containsExactlyElementsOf(c.positions());
        }
        if (c.modes() != null) {
            assertThat(statements).extracting(SqlStatement::txMode).containsExactlyElementsOf(c.modes());
        }
        if (c.directive() != null) {
            SqlSplitter splitter = new SqlSplitter(new StringReader(c.script()), "m.sql");
            readAll(splitter);
            assertThat(splitter.noTransactionDirective()).isEqualTo(c.directive());
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void streamingOneCharAtATimeGivesTheSameStatements(Case c) throws IOException {
        List<SqlStatement> streamed = readAll(new SqlSplitter(new TrickleReader(c.script()), "m.sql"));

        assertThat(streamed).isEqualTo(SqlSplitter.split(c.script(), "m.sql"));
    }

    @Test
    void tableHasEnoughDistinctCases() {
        List<String> names = cases().map(Case::name).toList();

        assertThat(names).hasSizeGreaterThanOrEqualTo(45).doesNotHaveDuplicates();
    }

    @Test
    void theMarkerNamesWhichToolsCommentItIsAndAHeadMarkerIsKnownAfterTheFirstStatement() throws IOException {
        SqlSplitter graphile = new SqlSplitter(new StringReader("--! Hash: sha1:x\n\n--! no-transaction\nselect 1;"), "m.sql");
        graphile.next();
        assertThat(graphile.noTransactionMarker()).isEqualTo("--! no-transaction");

        SqlSplitter pgshift = new SqlSplitter(new StringReader("-- PGSHIFT: no-transaction\nselect 1;"), "m.sql");
        pgshift.next();
        assertThat(pgshift.noTransactionMarker()).isEqualTo("-- pgshift:no-transaction");

        SqlSplitter later = new SqlSplitter(new StringReader("select 1;\n-- postgres-migrations disable-transaction\n"), "m.sql");
        later.next();
        assertThat(later.noTransactionMarker()).isNull();
        assertThat(later.next().text()).isEqualTo("-- postgres-migrations disable-transaction");
        assertThat(later.noTransactionMarker()).isEqualTo("-- postgres-migrations disable-transaction");

        SqlSplitter none = new SqlSplitter(new StringReader("select 1;"), "m.sql");
        readAll(none);
        assertThat(none.noTransactionMarker()).isNull();
    }

    @Test
    void metaCommandIsRejectedWithItsPosition() throws IOException {
        SqlSplitter splitter = new SqlSplitter(new StringReader("select 1;\n\\i other.sql\nselect 2;"), "db/001_init.sql");

        assertThat(splitter.next().text()).isEqualTo("select 1");
        assertThatThrownBy(splitter::next)
                .isInstanceOf(PgshiftException.class)
                .hasMessageStartingWith("db/001_init.sql:2:1: ")
                .hasMessageContaining("\\i")
                .hasMessageContaining("psql meta-commands are not supported in migration files");
    }

    @Test
    void metaCommandInsideAStatementIsRejected() {
        assertThatThrownBy(() -> SqlSplitter.split("select 1\n  \\gset\n", "m.sql"))
                .isInstanceOf(PgshiftException.class)
                .hasMessageStartingWith("m.sql:2:3: ")
                .hasMessageContaining("\\gset");
    }

    @Test
    void unterminatedStringNamesWhereItOpened() {
        assertThatThrownBy(() -> SqlSplitter.split("select 1;\nselect 'abc;\nselect 2;\n", "m.sql"))
                .isInstanceOf(PgshiftException.class)
                .hasMessageStartingWith("m.sql:2:8: ")
                .hasMessageContaining("string literal")
                .hasMessageContaining("never closed");
    }

    @Test
    void unterminatedStringWithStandardConformingStringsOffNamesWhereItOpened() {
        assertThatThrownBy(() -> SqlSplitter.split("set standard_conforming_strings = off;\nselect 'C:\\';\n", "m.sql"))
                .isInstanceOf(PgshiftException.class)
                .hasMessageStartingWith("m.sql:2:8: ")
                .hasMessageContaining("never closed");
    }

    @Test
    void statementsThatChangeStandardConformingStringsSaySo() {
        List<SqlStatement> statements = SqlSplitter.split("set standard_conforming_strings = off; select 1;"
                + " RESET ALL; set local standard_conforming_strings to on; set search_path = x; reset work_mem;"
                + " discard all; set standard_conforming_strings = nonsense;", "m.sql");

        assertThat(statements).extracting(SqlStatement::changesStandardConformingStrings)
                .containsExactly(true, false, true, true, false, false, true, false);
    }

    @Test
    void parseBoolFollowsPostgres() {
        assertThat(Stream.of("on", "ON", "t", "tru", "TRUE", "y", "yes", "1")).allMatch(v -> ConformingStrings.parseBool(v));
        assertThat(Stream.of("off", "of", "f", "False", "n", "no", "0")).noneMatch(v -> ConformingStrings.parseBool(v));
        assertThat(Stream.of("o", "onn", "offf", "", "2", "10", "yess")).allMatch(v -> ConformingStrings.parseBool(v) == null);
    }

    @Test
    void unterminatedEscapeStringNamesWhereItOpened() {
        assertThatThrownBy(() -> SqlSplitter.split("select E'it\\'s;", "m.sql"))
                .isInstanceOf(PgshiftException.class)
                .hasMessageStartingWith("m.sql:1:8: ")
                .hasMessageContaining("E'");
    }

    @Test
    void unterminatedDollarQuoteNamesItsTag() {
        assertThatThrownBy(() -> SqlSplitter.split("select 1;\n  select $tag$ x; $TAG$;", "m.sql"))
                .isInstanceOf(PgshiftException.class)
                .hasMessageStartingWith("m.sql:2:10: ")
                .hasMessageContaining("$tag$");
    }

    @Test
    void unterminatedBlockCommentNamesWhereItOpened() {
        assertThatThrownBy(() -> SqlSplitter.split("select 1; /* outer /* inner */ still open;\n", "m.sql"))
                .isInstanceOf(PgshiftException.class)
                .hasMessageStartingWith("m.sql:1:11: ")
                .hasMessageContaining("*/");
    }

    @Test
    void unterminatedQuotedIdentifierNamesWhereItOpened() {
        assertThatThrownBy(() -> SqlSplitter.split("\r\ncreate table \"t;", "m.sql"))
                .isInstanceOf(PgshiftException.class)
                .hasMessageStartingWith("m.sql:2:14: ")
                .hasMessageContaining("quoted identifier");
    }

    @Test
    void positionAtMapsPostgresOffsetsToTheFile() {
        SqlStatement statement = SqlSplitter.split("select 1;\n\n    select\n  1 +;", "m.sql").get(1);

        assertThat(statement.text()).isEqualTo("select\n  1 +");
        assertThat(statement.positionAt(1)).isEqualTo(new TextPosition(3, 5));
        assertThat(statement.positionAt(6)).isEqualTo(new TextPosition(3, 10));
        assertThat(statement.positionAt(8)).isEqualTo(new TextPosition(4, 1));
        assertThat(statement.positionAt(11)).isEqualTo(new TextPosition(4, 4));
    }

    @Test
    void positionAtClampsOutsideTheText() {
        SqlStatement statement = new SqlStatement("select\n  1 +", 3, 5, NORMAL);

        assertThat(statement.positionAt(0)).isEqualTo(new TextPosition(3, 5));
        assertThat(statement.positionAt(-7)).isEqualTo(new TextPosition(3, 5));
        assertThat(statement.positionAt(12)).isEqualTo(new TextPosition(4, 5));
        assertThat(statement.positionAt(13)).isEqualTo(new TextPosition(4, 6));
        assertThat(statement.positionAt(1000)).isEqualTo(new TextPosition(4, 6));
    }

    @Test
    void positionAtCountsCharactersLikePostgres() {
        // PostgreSQL counts 😀 as one character; in the file it takes two Java chars.
        SqlStatement statement = new SqlStatement("select '😀' x", 1, 1, NORMAL);

        assertThat(statement.positionAt(12)).isEqualTo(new TextPosition(1, 13));
    }

    @Test
    void streamsALargeScriptStatementByStatement() throws IOException {
        int rows = 100_000;
        SqlSplitter splitter = new SqlSplitter(new GeneratedInserts(rows), "seed.sql");

        int count = 0;
        SqlStatement last = null;
        for (SqlStatement statement = splitter.next(); statement != null; statement = splitter.next()) {
            count++;
            last = statement;
        }

        assertThat(count).isEqualTo(rows);
        assertThat(last.text()).startsWith("-- row 99999\ninsert into big (id, payload) values (99999, '");
        assertThat(last.line()).isEqualTo(2 * rows - 1);
        assertThat(last.column()).isEqualTo(1);
    }

    @Test
    void generatedScriptIsAboutTwentyMegabytes() {
        long chars = 0;
        char[] buffer = new char[65536];
        try (Reader reader = new GeneratedInserts(100_000)) {
            for (int read = reader.read(buffer); read >= 0; read = reader.read(buffer)) {
                chars += read;
            }
        } catch (IOException e) {
            throw new AssertionError(e);
        }
        assertThat(chars).isBetween(18_000_000L, 30_000_000L);
    }

    private static List<SqlStatement> readAll(SqlSplitter splitter) throws IOException {
        List<SqlStatement> statements = new ArrayList<>();
        for (SqlStatement statement = splitter.next(); statement != null; statement = splitter.next()) {
            statements.add(statement);
        }
        return statements;
    }

    /** Hands out one char per read, so every look-ahead crosses a buffer refill. */
    private static final class TrickleReader extends Reader {
        private final String text;
        private int position;

        TrickleReader(String text) {
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

    /** About 22 MB of "-- row n\ninsert ...;\n", generated as it is read and never held whole. */
    private static final class GeneratedInserts extends Reader {
        private static final String PAYLOAD = "x;'".repeat(40).replace("'", "''");
        private final int rows;
        private int row;
        private String chunk = "";
        private int position;

        GeneratedInserts(int rows) {
            this.rows = rows;
        }

        @Override
        public int read(char[] target, int offset, int length) {
            if (position == chunk.length()) {
                if (row == rows) {
                    return -1;
                }
                chunk = "-- row " + row + "\ninsert into big (id, payload) values (" + row + ", '" + PAYLOAD + "');\n";
                row++;
                position = 0;
            }
            int count = Math.min(length, chunk.length() - position);
            chunk.getChars(position, position + count, target, offset);
            position += count;
            return count;
        }

        @Override
        public void close() {
        }
    }
}
