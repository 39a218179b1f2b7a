package pgshift.migration;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The words check may say "may run without a transaction" too often, never too rarely: every
 * script the splitter finds a no-transaction statement or marker in must be caught.
 */
class NoTransactionWordsTest {

    private static boolean certainlyTransactional(String script) {
        return NoTransactionWords.certainlyTransactional(script.getBytes(StandardCharsets.UTF_8));
    }

    /** What the split says: a statement that cannot run in a transaction, or a marker. */
    private static boolean splitSaysNoTransaction(String script) {
        SqlSplitter splitter = new SqlSplitter(new java.io.StringReader(script), "x.sql");
        try {
            boolean found = false;
            for (SqlStatement s = splitter.next(); s != null; s = splitter.next()) {
                found |= s.txMode() == SqlStatement.TxMode.NO_TRANSACTION;
            }
            return found || splitter.noTransactionMarker() != null;
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "vacuum analyze t;",
            "create table t (id int);\nCREATE INDEX CONCURRENTLY t_idx ON t (id);",
            "create unique index concurrently i on t (id);",
            "drop index concurrently if exists i;",
            "create database app;",
            "DROP DATABASE app;",
            "create /* a comment */ database app;",
            "create -- a comment\ndatabase app;",
            "create\n  tablespace fast location '/ssd';",
            "create subscription s connection 'dbname=x' publication p;",
            "drop subscription s;",
            "alter system set work_mem = '64MB';",
            "ALTER\tSYSTEM RESET ALL;",
            "alter table m detach partition m_2024 concurrently;",
            "reindex table concurrently t;",
            "reindex (verbose) system app;",
            "reindex (concurrently) index i;",
            "reindex database app;",
            "discard all;",
            "cluster;",
            "cluster verbose;",
            "do $$ begin commit; end $$;",
            "do $$begin\nCOMMIT;end$$;",
            "DO $x$BEGIN ROLLBACK; END$x$;",
            "do E'begin\\ncommit; end';",
            "create procedure p() language plpgsql as $$ begin commit; end $$;\ncall p();",
            "-- pgshift:no-transaction\ncreate table t (id int);",
            "--  PGSHIFT : No-Transaction\ncreate table t (id int);",
            "--! no-transaction\ncreate table t (id int);",
            "--! Previous: sha1:abc\n--! Hash: sha1:def\n\n--! no-transaction\nselect 1;",
            "select 1;\n-- postgres-migrations disable-transaction\n",
    })
    void everyScriptTheSplitterRunsWithoutATransactionIsCaught(String script) {
        assertThat(splitSaysNoTransaction(script)).as("the case is a real one").isTrue();
        assertThat(certainlyTransactional(script)).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "create table t (id int);\ninsert into t values (1);",
            "insert into catalog values (1, 'calm webhook subscription tag', 'system of record');",
            "insert into catalog values (2, 'subscription first', 'database', \"system\");",
            "create function f() returns trigger language plpgsql as $$ begin new.at := now(); return new; end $$;",
            "begin;\ncreate table t (id int);\ncommitted_at timestamptz;\nend;",
            "create index t_idx on t (id);",
            "comment on table t is 'the accounts table';",
            "select 'no transaction here', 'disable transaction';",
    })
    void scriptsWithoutThoseWordsAreCertainlyTransactional(String script) {
        assertThat(splitSaysNoTransaction(script)).isFalse();
        assertThat(certainlyTransactional(script)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "insert into notes values ('commit the work');",
            "insert into notes values ('how to create database app');",
            "comment on table t is 'needs a vacuum';",
            "select 1 -- cluster\n;",
    })
    void theWordsInDataOrCommentsCountToo(String script) {
        assertThat(splitSaysNoTransaction(script)).as("runs in a transaction").isFalse();
        assertThat(certainlyTransactional(script)).as("but the words alone cannot tell").isFalse();
    }

    @org.junit.jupiter.api.Test
    void aFileIsReadInChunksOfWholeLinesWithTheSameAnswers(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws Exception {
        String rows = "insert into t values (1, 'a webhook subscription');\n".repeat(60_000); // about 3 MB
        String longLine = "insert into t values ('" + "x".repeat(3 << 20) + "');\n";
        java.nio.file.Path plain = java.nio.file.Files.writeString(dir.resolve("1_plain.sql"), rows + longLine + rows);
        java.nio.file.Path late = java.nio.file.Files.writeString(dir.resolve("2_late.sql"),
                rows + longLine + rows + "create index\nconcurrently i on t (id);\n");
        java.nio.file.Path last = java.nio.file.Files.writeString(dir.resolve("3_last.sql"), rows + "vacuum");

        assertThat(NoTransactionWords.certainlyTransactional(plain)).isTrue();
        assertThat(NoTransactionWords.certainlyTransactional(late)).isFalse();
        assertThat(NoTransactionWords.certainlyTransactional(last)).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "select 1", "database"})
    void shortScriptsAreRead(String script) {
        assertThat(certainlyTransactional(script)).isEqualTo(!List.of("database").contains(script));
    }
}
