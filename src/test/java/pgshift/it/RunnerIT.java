package pgshift.it;

import static org.assertj.core.api.Assertions.assertThat;


import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import pgshift.testing.Cli;
import pgshift.testing.MigrationDb;

/** The migration runner's promises: files do not leak into each other, times are real, failures say what happened. */
class RunnerIT {

    @RegisterExtension
    final MigrationDb db = new MigrationDb();

    @Test
    void sessionSettingsOfOneFileDoNotReachTheNextFile() throws Exception {
        db.execute("create role app_owner nologin; create schema elsewhere; grant create, usage on schema public to app_owner");
        db.write("1_settings.sql", "set search_path = elsewhere;\nset role app_owner;\n"
                + "create temporary table scratch (id int);\nprepare q as select 1;\nset statement_timeout = '1ms';\n");
        db.write("2_next.sql", "create table placed (id int);\nselect pg_sleep(0.05);\ncreate temporary table scratch (id int);\n"
                + "prepare q as select 2;\n");

        Cli.Result r = db.pgshift("apply");

        assertThat(r.code()).as(r.toString()).isZero();
        assertThat(db.tableExists("public.placed")).as("search_path of file 1 did not move file 2's table").isTrue();
        assertThat(db.tableExists("elsewhere.placed")).isFalse();
        assertThat(db.value("select tableowner from pg_tables where tablename = 'placed'"))
                .as("SET ROLE of file 1 did not make file 2's owner").isEqualTo(db.url().user());
        assertThat(db.ledgerVersions()).containsExactly("1", "2");
    }

    @Test
    void aFileThatSetsItsRoleIsStillRecordedAsTheRunsOwnRole() throws Exception {
        db.execute("create role limited nologin; grant create, usage on schema public to limited");
        db.write("1_as_limited.sql", "set role limited;\ncreate table owned_by_limited (id int);\n");

        Cli.Result r = db.pgshift("apply");

        assertThat(r.code()).as(r.toString()).isZero();
        assertThat(db.value("select tableowner from pg_tables where tablename = 'owned_by_limited'")).isEqualTo("limited");
        assertThat(db.value("select applied_by from supabase_migrations.pgshift_applied")).isEqualTo(db.url().user());
    }

    @Test
    void theRecordedExecutionTimeIsTheWholeFiles() throws Exception {
        db.write("1_slow.sql", "select pg_sleep(1.2);\ncreate table after_sleep (id int);\n");
        db.write("2_big_and_slow.sql", "select pg_sleep(1.2);\n" + "insert into after_sleep values (1);\n".repeat(8000));

        Cli.Result r = db.pgshift("apply");

        assertThat(r.code()).as(r.toString()).isZero();
        assertThat(Long.parseLong(db.value("select execution_ms from supabase_migrations.pgshift_applied where version = '1'")))
                .isGreaterThanOrEqualTo(1200);
        assertThat(Long.parseLong(db.value("select execution_ms from supabase_migrations.pgshift_applied where version = '2'")))
                .as("a file whose ledger row goes by COPY").isGreaterThanOrEqualTo(1200);
        assertThat(db.pgshift("history").out()).containsPattern("1\\.[0-9] s|1[0-9]{3} ms");
    }

    @Test
    void aNoTransactionFileWithItsOwnTransactionReportsThatNothingWasCommitted() throws Exception {
        db.write("1_own.sql", "-- pgshift:no-transaction\nbegin;\ncreate table inside_own (id int);\n"
                + "insert into missing_table values (1);\ncommit;\n");

        Cli.Result r = db.pgshift("apply");

        assertThat(r.code()).as(r.toString()).isEqualTo(1);
        assertThat(r.err()).contains("1_own.sql:4:13").contains("Nothing was committed.")
                .contains("own transaction (from line 2, 2 statement(s)) was rolled back")
                .doesNotContain("Already committed");
        assertThat(db.tableExists("inside_own")).isFalse();
        assertThat(db.ledgerVersions()).isEmpty();
        assertThat(db.value("select count(*) from pg_stat_activity where datname = current_database() "
                + "and state like 'idle in transaction%'")).isEqualTo("0");
    }

    @Test
    void aTerminatedBackendIsReportedAsALostConnectionNamingTheFile() throws Exception {
        db.write("1_killed.sql", "create table doomed (id int);\n"
                + "select pg_terminate_backend(pg_backend_pid());\n");

        Cli.Result r = db.pgshift("apply");

        assertThat(r.code()).as(r.toString()).isEqualTo(3);
        assertThat(r.err()).contains("1_killed.sql:2:1").contains("57P01")
                .contains("The server ended the connection during this statement")
                .contains("nothing from 1_killed.sql was applied")
                .doesNotContain("internal query").doesNotContain("supabase_migrations schema");
        assertThat(db.tableExists("doomed")).isFalse();
    }

    @Test
    void aSideTableFromAnOlderPgshiftIsReadAsItIsAndUpgradedByApply() throws Exception {
        db.execute("create schema supabase_migrations;"
                + "create table supabase_migrations.schema_migrations (version text primary key, statements text[], name text);"
                + "create table supabase_migrations.pgshift_applied (version text primary key, applied_at timestamptz not null default now());"
                + "insert into supabase_migrations.schema_migrations values ('1', '{\"create table one (id int)\"}', 'one');"
                + "insert into supabase_migrations.pgshift_applied (version) values ('1');"
                + "create table one (id int)");
        db.write("1_one.sql", "create table one (id int)");
        db.write("2_two.sql", "create table two (id int)");

        Cli.Result status = db.pgshift("status");
        assertThat(status.code()).as(status.toString()).isZero();
        assertThat(status.out()).contains("1 applied, 1 pending");

        Cli.Result apply = db.pgshift("apply");
        assertThat(apply.code()).as(apply.toString()).isZero();
        assertThat(db.value("select origin from supabase_migrations.pgshift_applied where version = '2'")).isEqualTo("executed");
        assertThat(db.pgshift("history").out()).contains("two").contains("executed");
    }

    @Test
    void dryRunSaysAnEnumValueUsedByALaterFileCannotBeRehearsedInOneTransaction() throws Exception {
        db.write("1_enum.sql", "create type mood as enum ('sad');\n");
        assertThat(db.pgshift("apply", "1").code()).isZero(); // an enum type from an earlier run, as in real histories
        db.write("2_add.sql", "alter type mood add value 'happy';\n");
        db.write("3_use.sql", "create table feelings (m mood);\ninsert into feelings values ('happy');\n");

        Cli.Result dry = db.pgshift("dry-run", "--in-place");

        assertThat(dry.code()).as(dry.toString()).isEqualTo(1);
        assertThat(dry.all()).contains("55P04").contains("cannot be rehearsed")
                .contains("apply, which runs each file in a transaction of its own")
                .doesNotContain("apply would fail");
        Cli.Result apply = db.pgshift("apply");
        assertThat(apply.code()).as("apply, a transaction per file, succeeds: " + apply).isZero();
    }

    @Test
    void anEmptyFolderAgainstARecordedLedgerSaysEveryRecordedMigrationIsMissing() throws Exception {
        db.write("1_one.sql", "create table one (id int);\n");
        db.write("2_two.sql", "create table two (id int);\n");
        assertThat(db.pgshift("apply").code()).isZero();
        java.nio.file.Files.delete(db.folder().resolve("1_one.sql"));
        java.nio.file.Files.delete(db.folder().resolve("2_two.sql"));

        Cli.Result r = db.pgshift("apply");

        assertThat(r.code()).as(r.toString()).isEqualTo(1);
        assertThat(r.err()).contains("holds no migration files").contains("records 2 migration(s)")
                .contains("every recorded migration is missing");
        assertThat(r.out()).doesNotContain("up to date");
    }

    @Test
    void aMigrationSelectingMillionsOfRowsRunsInASmallHeap() throws Exception {
        db.write("1_big_select.sql", "create table counted (n int);\n"
                + "select g, repeat('x', 40) from generate_series(1, 3000000) g;\n"
                + "insert into counted select count(*) from generate_series(1, 10);\n");

        Cli.Result r = Cli.process(db.workDir(), Cli.env("JAVA_TOOL_OPTIONS", "-Xmx48m"), "--database-url", db.urlString(),
                "apply");

        assertThat(r.code()).as(r.toString()).isZero();
        assertThat(db.value("select n from counted")).isEqualTo("10");
    }
}
