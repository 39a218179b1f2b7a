package pgshift.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import pgshift.config.DatabaseUrl;
import pgshift.testing.Cli;
import pgshift.testing.MigrationDb;
import pgshift.testing.TestPgBouncer;
import pgshift.testing.TestPostgres;

/** apply against what real databases do to migrations: an app holding a lock, a role's statement_timeout, a pooler. */
class GuardsIT {

    @RegisterExtension
    final MigrationDb db = new MigrationDb();

    @Test
    void aDdlBlockedByTheAppsOpenTransactionNamesTheBlockerAndGivesUpAtTheTableLockTimeout() throws Exception {
        db.execute("create table orders (id int)");
        db.write("1_add_column.sql", "alter table orders add column note text;\n");
        try (Connection app = TestPostgres.connect(db.url()); Statement st = app.createStatement()) {
            st.execute("set application_name = 'the_app'");
            app.setAutoCommit(false);
            st.execute("select * from orders"); // an open transaction holding a share lock, idle
            int appPid = app.unwrap(org.postgresql.PGConnection.class).getBackendPID();

            Cli.Result r = db.pgshift("apply", "--table-lock-timeout", "3s");

            assertThat(r.code()).as(r.toString()).isEqualTo(1);
            assertThat(r.err()).contains("Waiting for a lock on table")
                    .contains("pid " + appPid).contains("the_app").contains("idle in transaction")
                    .contains("Gave up after 3 s").contains("pg_terminate_backend(" + appPid + ")")
                    .contains("Rolled back: nothing from 1_add_column.sql was applied");
            app.rollback();
        }
        assertThat(db.ledgerVersions()).isEmpty();
        assertThat(db.value("select count(*) from information_schema.columns where table_name = 'orders'")).isEqualTo("1");
    }

    @Test
    void aRolesStatementTimeoutIsNamedWhenItStopsAMigration() throws Exception {
        db.execute("create role short_fuse login; grant create, usage on schema public to short_fuse;"
                + "grant all on database " + db.url().database() + " to short_fuse;"
                + "alter role short_fuse set statement_timeout = '300ms'");
        db.write("1_slow.sql", "create table slow (id int);\nselect pg_sleep(2);\n");
        DatabaseUrl asRole = new DatabaseUrl(db.url().host(), db.url().port(), db.url().database(), "short_fuse", null,
                Map.of());

        Cli.Result r = Cli.run(db.workDir(), "--database-url", TestPostgres.urlString(asRole), "apply");

        assertThat(r.code()).as(r.toString()).isEqualTo(1);
        assertThat(r.err()).contains("57014").contains("statement_timeout").contains("300ms").contains("short_fuse");
        assertThat(db.tableExists("slow")).isFalse();
    }

    @Test
    void aSecondApplyThroughATransactionModePoolerWaitsForTheFileTheFirstRunsAndEachFileRunsOnce() throws Exception {
        db.write("1_t1.sql", "create table t1 (id int);\n" + MigrationDb.GATE);
        for (int i = 2; i <= 6; i++) {
            db.write(i + "_t" + i + ".sql", "create table t" + i + " (id int);\nselect pg_sleep(0.1);\n");
        }
        String pooled = TestPostgres.urlString(TestPgBouncer.transactionMode().through(db.url())) + "?pgbouncer=true";

        CompletableFuture<Cli.Result> first;
        CompletableFuture<Cli.Result> second;
        try (Connection gate = db.closeTheGate()) {
            first = CompletableFuture.supplyAsync(() -> Cli.run(db.workDir(), "--database-url", pooled, "apply"));
            await().atMost(Duration.ofSeconds(30)).until(() -> db.waitingAtTheGate() == 1); // inside 1_t1.sql
            second = CompletableFuture.supplyAsync(() -> Cli.run(db.workDir(), "--database-url", pooled, "apply"));
            await().atMost(Duration.ofSeconds(30)).until(() -> db.waitingForTheMigrationLock() == 1);
        }

        Cli.Result a = first.join();
        Cli.Result b = second.join();
        assertThat(a.code()).as(a.toString()).isZero();
        assertThat(b.code()).as(b.toString()).isZero();
        assertThat(db.ledgerVersions()).containsExactly("1", "2", "3", "4", "5", "6");
        assertThat(db.value("select count(*) from supabase_migrations.pgshift_applied")).isEqualTo("6");
    }

    @Test
    void aNoTransactionFileIsRefusedThroughATransactionModePooler() throws Exception {
        db.write("1_index.sql", "create table items (id int);\n");
        db.write("2_index.sql", "create index concurrently items_idx on items (id);\n");
        String pooled = TestPostgres.urlString(TestPgBouncer.transactionMode().through(db.url())) + "?pgbouncer=true";

        Cli.Result r = Cli.run(db.workDir(), "--database-url", pooled, "apply");

        assertThat(r.code()).as(r.toString()).isEqualTo(1);
        assertThat(r.err()).contains("2_index.sql").contains("session pooler");
        assertThat(db.ledgerVersions()).as("refused before anything ran").isEmpty();
    }

    @Test
    void dryRunMarkAppliedAndMarkRevertedWorkThroughATransactionModePooler() throws Exception {
        db.write("1_one.sql", "create table one (id int);\n");
        db.write("2_two.sql", "create table two (id int);\n");
        String pooled = TestPostgres.urlString(TestPgBouncer.transactionMode().through(db.url())) + "?pgbouncer=true";

        Cli.Result dry = Cli.run(db.workDir(), "--database-url", pooled, "dry-run");
        assertThat(dry.code()).as(dry.toString()).isZero();
        assertThat(db.tableExists("one")).as("rolled back").isFalse();

        Cli.Result marked = Cli.run(db.workDir(), "--database-url", pooled, "mark-applied", "1", "--force");
        assertThat(marked.code()).as(marked.toString()).isZero();
        assertThat(db.ledgerVersions()).containsExactly("1");

        Cli.Result reverted = Cli.run(db.workDir(), "--database-url", pooled, "mark-reverted", "1");
        assertThat(reverted.code()).as(reverted.toString()).isZero();
        assertThat(db.ledgerVersions()).isEmpty();
        assertThat(db.value("select count(*) from pg_locks where locktype = 'advisory'"))
                .as("no session lock left behind on a pooled server session").isEqualTo("0");
    }
}
