package pgshift.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import pgshift.migration.SqlSplitter;
import pgshift.migration.SqlStatement;
import pgshift.testing.Cli;
import pgshift.testing.MigrationDb;
import pgshift.testing.TestPostgres;

/**
 * A big file's ledger row is written ahead into its side row's {@code staged} column on a second
 * connection while the file runs, then moved into the ledger in the file's transaction. Whatever
 * happens, nothing stays staged once the run is over, and the ledger row is the file's.
 */
class LedgerStagingIT {

    private static final String STAGED_WITHOUT_LEDGER_ROW = "select count(*) from supabase_migrations.pgshift_applied s "
            + "where s.staged is not null and not exists "
            + "(select 1 from supabase_migrations.schema_migrations m where m.version = s.version)";

    @RegisterExtension
    final MigrationDb db = new MigrationDb();

    /** A file over the inline ledger limit (256 KB of statements), starting with {@code head}. */
    private static String bigFile(String head, String tail) {
        StringBuilder sql = new StringBuilder(head).append("create table seeds (id int primary key, body text);\n");
        for (int i = 0; i < 4000; i++) {
            sql.append("insert into seeds values (").append(i).append(", '").append("x".repeat(80)).append("');\n");
        }
        assertThat(sql.length()).as("bigger than the inline ledger limit").isGreaterThan(300_000);
        return sql.append(tail).toString();
    }

    private static List<String> ledgerTexts(String sql) {
        return SqlSplitter.split(sql, "x").stream().map(SqlStatement::text).toList();
    }

    @Test
    void aBigFilesRowIsStagedWhileTheFileRunsAndMovedIntoTheLedgerWhenItCommits() throws Exception {
        String sql = bigFile(MigrationDb.GATE, "");
        db.write("20240101000000_seeds.sql", sql);

        CompletableFuture<Cli.Result> apply;
        try (Connection gate = db.closeTheGate()) {
            apply = CompletableFuture.supplyAsync(() -> db.pgshift("apply"));
            await("the file waiting at its first statement").atMost(Duration.ofSeconds(30))
                    .until(() -> db.waitingAtTheGate() == 1);
            await("the file's row staged on the second connection while the file waits").atMost(Duration.ofSeconds(30))
                    .until(() -> db.value(STAGED_WITHOUT_LEDGER_ROW).equals("1"));
            assertThat(db.ledgerVersions()).as("the ledger row comes with the file's commit").isEmpty();
        }

        Cli.Result r = apply.join();
        assertThat(r.code()).as(r.toString()).isZero();
        assertThat(db.column("select unnest(statements) from supabase_migrations.schema_migrations"))
                .containsExactlyElementsOf(ledgerTexts(sql));
        assertThat(db.value("select count(*) from supabase_migrations.pgshift_applied where staged is not null"))
                .as("nothing stays staged").isEqualTo("0");
        assertThat(db.value("select origin || ' ' || (execution_ms is not null) from supabase_migrations.pgshift_applied"))
                .isEqualTo("executed true");
        assertThat(db.pgshift("status", "--check").code()).as("the recorded row matches the file").isZero();
    }

    @Test
    void aBigFileThatFailsAfterItsRowWasStagedLeavesNothingStaged() throws Exception {
        db.write("20240101000000_seeds.sql", bigFile(MigrationDb.GATE, "insert into seeds values (7, 'again');\n"));

        CompletableFuture<Cli.Result> apply;
        try (Connection gate = db.closeTheGate()) {
            apply = CompletableFuture.supplyAsync(() -> db.pgshift("apply"));
            await("the file's row staged while the file waits at its first statement").atMost(Duration.ofSeconds(30))
                    .until(() -> db.waitingAtTheGate() == 1 && db.value(STAGED_WITHOUT_LEDGER_ROW).equals("1"));
        }

        Cli.Result r = apply.join();
        assertThat(r.code()).as(r.toString()).isEqualTo(1);
        assertThat(r.err()).contains("Key (id)=(7) already exists").contains("Rolled back");
        assertThat(db.ledgerVersions()).isEmpty();
        assertThat(db.value("select count(*) from supabase_migrations.pgshift_applied")).as("no side row either").isEqualTo("0");
        assertThat(db.tableExists("seeds")).isFalse();
    }

    @Test
    void aFileThatFailsWhileItsRowIsStillBeingStagedStopsTheStagingWithoutWaitingForIt() throws Exception {
        String version = "20240101000000";
        db.write("1_setup.sql", "select 1;\n");
        assertThat(db.pgshift("apply", "--to", "1").code()).isZero();
        db.write(version + "_seeds.sql", bigFile("select 1 / 0;\n", ""));
        // Not the run's first file, so it is split before the run and its staging starts with it.
        db.write("19_first.sql", "select 19;\n");
        // A side row of the pending version (as the Supabase CLI's repair leaves one), locked here:
        // the staging's first statement, which deletes it, waits; the file fails at its first.
        db.execute("insert into supabase_migrations.pgshift_applied (version, origin) values ('" + version + "', 'executed')");
        try (Connection blocker = TestPostgres.connect(db.url()); Statement st = blocker.createStatement()) {
            blocker.setAutoCommit(false);
            st.execute("select * from supabase_migrations.pgshift_applied where version = '" + version + "' for update");

            Cli.Result r = CompletableFuture.supplyAsync(() -> db.pgshift("apply"))
                    .get(60, java.util.concurrent.TimeUnit.SECONDS); // a run waiting for the staging would time out here

            assertThat(r.code()).as(r.toString()).isEqualTo(1);
            assertThat(r.err()).contains("division by zero");
            blocker.rollback();
        }
        assertThat(db.value("select count(*) from supabase_migrations.pgshift_applied where staged is not null"))
                .as("the stopped staging committed nothing").isEqualTo("0");
        assertThat(db.ledgerVersions()).containsExactly("1", "19");
    }

    @Test
    void aRowAKilledRunLeftStagedIsDeletedByTheNextRun() throws Exception {
        db.write("1_first.sql", "create table first (id int);\n");
        assertThat(db.pgshift("apply").code()).isZero();
        // What a run killed after staging leaves: a side row with a staged value and no ledger row.
        db.execute("insert into supabase_migrations.pgshift_applied (version, origin, staged) "
                + "values ('2', 'executed', array['create table second (id int)'])");
        db.write("3_third.sql", "create table third (id int);\n");

        Cli.Result r = db.pgshift("apply", "--to", "3");

        assertThat(r.code()).as(r.toString()).isZero();
        assertThat(db.column("select version from supabase_migrations.pgshift_applied order by version"))
                .as("the leftover is gone; the recorded files' side rows stay").containsExactly("1", "3");
    }

    @Test
    void aBigFileWhoseStagingFailsIsRecordedDirectly() throws Exception {
        String sql = bigFile("", "");
        db.write("20240101000000_seeds.sql", sql);
        db.write("1_setup.sql", "select 1;\n");
        assertThat(db.pgshift("apply", "--to", "1").code()).isZero();
        db.execute("create function refuse_staging() returns trigger language plpgsql as $$ begin "
                + "raise exception 'no staging here'; end $$; "
                + "create trigger refuse_staging before insert on supabase_migrations.pgshift_applied "
                + "for each row when (new.staged is not null) execute function refuse_staging()");

        Cli.Result r = db.pgshift("apply");

        assertThat(r.code()).as(r.toString()).isZero();
        assertThat(db.column("select unnest(statements) from supabase_migrations.schema_migrations where version = '20240101000000'"))
                .containsExactlyElementsOf(ledgerTexts(sql));
        assertThat(db.value("select count(*) from supabase_migrations.pgshift_applied where staged is null"))
                .isEqualTo("2");
        assertThat(db.pgshift("status", "--check").code()).isZero();
    }
}
