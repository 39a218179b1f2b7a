package pgshift.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import pgshift.db.Executor;
import pgshift.engine.MigrationListener;
import pgshift.engine.Migrator;
import pgshift.engine.Planner;
import pgshift.failure.PgshiftException;
import pgshift.migration.MigrationFolder;
import pgshift.migration.PlanEntry;
import pgshift.testing.MigrationDb;
import pgshift.testing.TestPostgres;

/**
 * The runner's grouping for replays (Request.together): files that may share a transaction do,
 * and whatever cannot (55P04, a failing file, no-transaction and session-changing files) ends with
 * the result and the report that apply's file-by-file run gives.
 */
class GroupedReplayIT {

    @RegisterExtension
    final MigrationDb db = new MigrationDb();

    private final List<String> heard = new ArrayList<>();

    /** Each file records the transaction it ran in, so the test sees which files shared one. */
    private static String seen(String file) {
        return "insert into seen values ('" + file + "', txid_current());\n";
    }

    private void seenTable() throws Exception {
        db.write("01_seen.sql", "create table seen (file text primary key, xid bigint);\n");
    }

    private Migrator.Result run(Predicate<PlanEntry> together) throws SQLException {
        return run(together, false);
    }

    private Migrator.Result run(Predicate<PlanEntry> together, boolean pooler) throws SQLException {
        Planner planner = new Planner(db.folder(), null, "test");
        MigrationFolder.Scan scan = planner.scan();
        MigrationListener listener = new MigrationListener() {
            @Override
            public void applied(PlanEntry entry, Executor.Applied applied) {
                heard.add("applied " + entry.version());
            }

            @Override
            public void failed(PlanEntry entry) {
                heard.add("failed " + entry.version());
            }
        };
        try (Connection conn = TestPostgres.connect(db.url())) {
            Migrator migrator = new Migrator(conn, planner, listener, () -> false, new Migrator.Settings(() -> {
                try {
                    return TestPostgres.connect(db.url());
                } catch (SQLException e) {
                    throw new IllegalStateException(e);
                }
            }, Duration.ofSeconds(30), pooler));
            return migrator.run(new Migrator.Request(Migrator.Mode.APPLY, plan -> plan.entries().stream()
                    .filter(e -> e.hasFile() && !e.isApplied()).toList(), Duration.ofSeconds(30),
                    e -> e.file().displayName(), together), scan);
        }
    }

    private List<String> xids() throws SQLException {
        return db.column("select file || '@' || dense_rank() over (order by xid) from seen order by file");
    }

    @Test
    void filesThatMayShareATransactionDoEachWithItsLedgerRow() throws Exception {
        seenTable();
        for (int i = 2; i <= 6; i++) {
            db.write(String.format("%02d_f.sql", i), "create table t" + i + " (id int);\n" + seen("0" + i));
        }

        Migrator.Result result = run(e -> true);

        assertThat(result.done()).isEqualTo(6);
        // The first file streams while it is split, so it runs alone; the other five share one transaction.
        assertThat(xids()).containsExactly("02@1", "03@1", "04@1", "05@1", "06@1");
        assertThat(db.ledgerVersions()).containsExactly("01", "02", "03", "04", "05", "06");
        assertThat(db.value("select count(*) from supabase_migrations.pgshift_applied where origin = 'executed'"))
                .isEqualTo("6");
        assertThat(heard).containsExactly("applied 01", "applied 02", "applied 03", "applied 04", "applied 05",
                "applied 06");
    }

    @Test
    void withoutTheOptionEveryFileHasATransactionOfItsOwn() throws Exception {
        seenTable();
        for (int i = 2; i <= 4; i++) {
            db.write(String.format("%02d_f.sql", i), seen("0" + i));
        }

        run(e -> false);

        assertThat(xids()).containsExactly("02@1", "03@2", "04@3");
    }

    @Test
    void anEnumValueAddedInOneFileAndUsedInTheNextReplaysOneByOneAfterTheGroupFails() throws Exception {
        // The type made before the group: a value added to a type made in the same transaction may be used at once.
        db.write("01_mood.sql", "create table seen (file text primary key, xid bigint);\ncreate type mood as enum ('sad');\n");
        db.write("02_add.sql", "alter type mood add value 'happy';\n" + seen("02"));
        db.write("03_use.sql", "create table feelings (m mood default 'happy');\ninsert into feelings values ('happy');\n"
                + seen("03"));
        db.write("04_more.sql", "create table more (id int);\n" + seen("04"));

        Migrator.Result result = run(e -> true);

        assertThat(result.done()).isEqualTo(4);
        assertThat(db.value("select m::text from feelings")).isEqualTo("happy");
        assertThat(xids()).containsExactly("02@1", "03@2", "04@3"); // the failed group ran again file by file
        assertThat(db.ledgerVersions()).containsExactly("01", "02", "03", "04");
        assertThat(heard).containsExactly("applied 01", "applied 02", "applied 03", "applied 04");
    }

    @Test
    void aFileThatFailsInAGroupIsReportedAtItsLineAsApplyReportsItAndTheOnesBeforeItStay() throws Exception {
        seenTable();
        db.write("02_accounts.sql", "create table accounts (id int, age int);\ninsert into accounts values (1, 1);\n");
        db.write("03_ok.sql", "create table notes (id int);\n");
        db.write("04_broken.sql", "alter table accounts add column email text;\nupdate accounts set age = 'old';\n");
        db.write("05_later.sql", "create table later (id int);\n");

        assertThatThrownBy(() -> run(e -> true)).isInstanceOf(PgshiftException.class)
                .hasMessageContaining("04_broken.sql:2:27").hasMessageContaining("22P02")
                .hasMessageContaining("3 migration(s) applied before it; 1 later migration(s) not run.");

        assertThat(db.ledgerVersions()).containsExactly("01", "02", "03");
        assertThat(db.tableExists("notes")).isTrue();
        assertThat(db.tableExists("later")).isFalse();
        assertThat(db.value("select count(*) from information_schema.columns where column_name = 'email'"))
                .isEqualTo("0");
        assertThat(heard).containsExactly("applied 01", "applied 02", "applied 03", "failed 04");
    }

    @Test
    void noTransactionAndSessionChangingFilesRunAloneAndTheOthersAroundThemStillShare() throws Exception {
        seenTable();
        db.execute("create schema other");
        db.write("02_t.sql", "create table t (id int);\n" + seen("02"));
        db.write("03_t.sql", "insert into t values (1), (2);\n" + seen("03"));
        db.write("04_idx.sql", "create unique index concurrently t_id on t (id);\n");
        db.write("05_path.sql", "set search_path = other, public;\ncreate table elsewhere (id int);\n" + seen("05"));
        db.write("06_here.sql", "create table here (id int);\n" + seen("06"));
        db.write("07_pk.sql", "alter table t add constraint t_pk primary key using index t_id;\n" + seen("07"));

        Migrator.Result result = run(e -> true);

        assertThat(result.done()).isEqualTo(7);
        assertThat(xids()).containsExactly("02@1", "03@1", "05@2", "06@3", "07@3");
        assertThat(db.tableExists("other.elsewhere")).isTrue();
        assertThat(db.tableExists("public.here")).as("the search_path set by 05 ends with it").isTrue();
        assertThat(db.value("select conname from pg_constraint where conname = 't_pk'")).isEqualTo("t_pk");
        assertThat(db.ledgerVersions()).containsExactly("01", "02", "03", "04", "05", "06", "07");
    }

    @Test
    void onlyTheEntriesTheRequestNamesShareATransaction() throws Exception {
        seenTable();
        for (int i = 2; i <= 5; i++) {
            db.write(String.format("%02d_f.sql", i), seen("0" + i));
        }

        run(e -> !e.version().equals("04")); // 04 runs as apply runs it, as dry-run's rehearsed files do

        assertThat(xids()).containsExactly("02@1", "03@1", "04@2", "05@3");
    }

    @Test
    void throughATransactionModePoolerEveryFileKeepsItsOwnTransaction() throws Exception {
        seenTable();
        for (int i = 2; i <= 4; i++) {
            db.write(String.format("%02d_f.sql", i), seen("0" + i));
        }

        run(e -> true, true); // each file takes the migration lock inside its own transaction there

        assertThat(xids()).containsExactly("02@1", "03@2", "04@3");
        assertThat(db.ledgerVersions()).containsExactly("01", "02", "03", "04");
    }
}
