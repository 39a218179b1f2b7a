package pgshift.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import pgshift.command.Context;
import pgshift.config.Settings;
import pgshift.console.Console;
import pgshift.db.Snapshots;
import pgshift.testing.LeftSnapshots;
import pgshift.testing.MigrationDb;
import pgshift.testing.TestPostgres;
import pgshift.watch.OnEdit;
import pgshift.watch.Watch;
import pgshift.watch.WatchOptions;

/**
 * watch's default for an edited applied file: the database goes back to its state just before the
 * file, from a snapshot on the same server, and the file and every later one are applied again.
 */
class RewindIT {

    @RegisterExtension
    final MigrationDb db = new MigrationDb();
    Context ctx;
    Watch watch;
    final WatchIT.Heard heard = new WatchIT.Heard();

    @AfterEach
    void tearDown() {
        if (watch != null) {
            watch.stop();
        }
        if (ctx != null) {
            ctx.close();
        }
    }

    private void start() {
        PrintStream sink = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
        ctx = new Context(new Settings(db.url(), "the test", db.folder()), new Console(sink, sink, false), db.workDir());
        watch = Watch.start(ctx.target(), ctx.planner(), ctx::display,
                new WatchOptions(WatchOptions.DEFAULT_SETTLE, OnEdit.REWIND, false, Duration.ofSeconds(30)), heard);
    }

    private void awaitInfo(String part) {
        await().atMost(Duration.ofSeconds(60)).until(() -> heard.infos.stream().anyMatch(m -> m.contains(part)));
    }

    private int appliedCount(String file) {
        return (int) heard.infos.stream().filter(m -> m.startsWith("applied " + file + " ")).count();
    }

    private String appliedAt() throws Exception {
        return db.value("SELECT string_agg(version || '=' || applied_at::text, ',' ORDER BY version) "
                + "FROM supabase_migrations.pgshift_applied");
    }

    private List<String> snapshots() throws Exception {
        return databasesCommented("pgshift watch snapshot of database " + db.url().database() + " ");
    }

    private List<String> spares() throws Exception {
        return databasesCommented("pgshift watch spare of database " + db.url().database() + ": ");
    }

    private static List<String> databasesCommented(String prefix) throws Exception {
        try (Connection c = TestPostgres.connect(TestPostgres.admin());
             var ps = c.prepareStatement("SELECT datname FROM pg_database WHERE starts_with(shobj_description(oid, 'pg_database'), ?)")) {
            ps.setString(1, prefix);
            try (var rs = ps.executeQuery()) {
                List<String> names = new java.util.ArrayList<>();
                while (rs.next()) {
                    names.add(rs.getString(1));
                }
                return names;
            }
        }
    }

    @Test
    void editingTheNewestFileRewindsSchemaAndDataAndAppliesItAgain() throws Exception {
        db.write("1_items.sql", "create table items (id int primary key);\ninsert into items values (1), (2);\n");
        db.write("2_labels.sql", "create table labels (id int);\ninsert into labels values (10);\n");
        start();
        awaitInfo("applied 2_labels.sql");
        db.execute("insert into items values (99)"); // the app writes a row after the migrations ran

        db.write("2_labels.sql", "create table labels (id int, caption text not null default 'x');\n"
                + "insert into labels (id) values (20);\n");

        awaitInfo("rewound " + db.url().database() + " to just before 2_labels.sql");
        await().atMost(Duration.ofSeconds(60)).until(() -> appliedCount("2_labels.sql") == 2);
        assertThat(db.column("SELECT id || ':' || caption FROM labels")).containsExactly("20:x");
        assertThat(db.column("SELECT id FROM items ORDER BY id")).containsExactly("1", "2"); // the migration's rows, not the app's
        assertThat(db.value("SELECT statements[1] FROM supabase_migrations.schema_migrations WHERE version = '2'"))
                .contains("caption text");
        assertThat(db.pgshift("status").out()).containsPattern("2 +labels +applied");
        assertThat(heard.errors).isEmpty();
        assertThat(heard.warnings).isEmpty();

        // The state before 2 is kept now: a second edit starts from it (from the spare copy of it made
        // after the first rewind) and applies only file 2.
        db.write("2_labels.sql", "create table labels (id bigint);\n");
        await().atMost(Duration.ofSeconds(60)).until(() -> appliedCount("2_labels.sql") == 3);
        assertThat(heard.infos.stream().filter(m -> m.startsWith("rewound")).reduce((a, b) -> b).orElseThrow())
                .contains("from the snapshot after 1, copied ahead)");
        assertThat(appliedCount("1_items.sql")).isEqualTo(2); // once at start, once in the first rewind, not again
        assertThat(db.value("SELECT data_type FROM information_schema.columns WHERE table_name = 'labels'")).isEqualTo("bigint");
        assertThat(heard.errors).isEmpty();
    }

    @Test
    void editingAnOlderFileAppliesEveryLaterFileAgainAndRewritesTheirLedgerRows() throws Exception {
        db.write("1_a.sql", "create table a (id int);\n");
        db.write("2_b.sql", "create table b (id int);\ninsert into b values (1);\n");
        db.write("3_c.sql", "create view c as select * from b;\n");
        start();
        awaitInfo("applied 3_c.sql");
        db.write("2_b.sql", "create table b (id int, extra int default 7);\ninsert into b (id) values (1);\n");

        await().atMost(Duration.ofSeconds(60)).until(() -> appliedCount("3_c.sql") == 2);
        // The three files came in one pass: no state before 2 was kept, so 1 was applied again first.
        assertThat(heard.infos).filteredOn(m -> m.startsWith("rewound")).singleElement().asString()
                .contains("to just before 2_b.sql (from an empty database, then 1 earlier file(s) applied)");
        assertThat(db.column("SELECT id || '/' || extra FROM c")).containsExactly("1/7"); // the view sees the new column
        assertThat(db.ledgerVersions()).containsExactly("1", "2", "3");
        String before = appliedAt();

        db.write("2_b.sql", "create table b (id int, extra int default 8);\ninsert into b (id) values (1);\n");

        await().atMost(Duration.ofSeconds(60)).until(() -> appliedCount("3_c.sql") == 3);
        assertThat(db.column("SELECT id || '/' || extra FROM c")).containsExactly("1/8");
        String after = appliedAt();
        assertThat(after.split(",")[0]).isEqualTo(before.split(",")[0]); // 1 kept its row: rewound from the state after it
        assertThat(after.split(",")[1]).isNotEqualTo(before.split(",")[1]);
        assertThat(after.split(",")[2]).isNotEqualTo(before.split(",")[2]);
        assertThat(db.value("SELECT statements[1] FROM supabase_migrations.schema_migrations WHERE version = '2'"))
                .contains("default 8");
        assertThat(heard.errors).isEmpty();
    }

    @Test
    void theLaterFilesShareTransactionsAndOneThatNowFailsStopsTheRewindJustBeforeIt() throws Exception {
        db.write("1_a.sql", "create table a (id int, name text);\n");
        db.write("2_b.sql", "create table b (id int);\n");
        db.write("3_c.sql", "create view c as select name from a;\n");
        db.write("4_d.sql", "create table d (id int);\n");
        start();
        awaitInfo("applied 4_d.sql");

        db.write("1_a.sql", "create table a (id int, name text, extra int);\n");
        await().atMost(Duration.ofSeconds(60)).until(() -> appliedCount("4_d.sql") == 2);
        // 1 streams as the run's first file; 2 to 4 are applied again in one transaction, each with its ledger row.
        assertThat(heard.infos).anyMatch(m -> m.startsWith("applied 3_c.sql (1 statement(s), in one transaction with 2 other"));
        assertThat(db.value("SELECT count(DISTINCT xmin::text) FROM supabase_migrations.schema_migrations "
                + "WHERE version IN ('2', '3', '4')")).isEqualTo("1");

        db.write("1_a.sql", "create table a (id int, title text);\n"); // 3_c.sql reads a.name

        await().atMost(Duration.ofSeconds(60)).until(() -> "3".equals(watch.status().blockedOn()));
        assertThat(heard.errors).singleElement().asString().contains("3_c.sql:1:25").contains("42703");
        assertThat(db.ledgerVersions()).containsExactly("1", "2");
        assertThat(db.tableExists("b")).isTrue();
        assertThat(db.tableExists("d")).isFalse();
        assertThat(db.value("SELECT count(*) FROM information_schema.columns WHERE table_name = 'a' AND column_name = 'title'"))
                .isEqualTo("1");
    }

    @Test
    void aFileEditedAgainIsRewoundFromASpareCopyMadeWhileWatchWaitedAndNoneIsLeftOnceItStops() throws Exception {
        db.write("1_a.sql", "create table a (id int);\n");
        db.write("2_b.sql", "create table b (id int);\ninsert into b values (1);\n");
        start();
        awaitInfo("applied 2_b.sql");

        db.write("2_b.sql", "create table b (id int, note text);\ninsert into b values (2);\n");
        await().atMost(Duration.ofSeconds(60)).until(() -> appliedCount("2_b.sql") == 2);
        await("a spare copy of the state before 2_b.sql").atMost(Duration.ofSeconds(60)).until(() -> spares().size() == 1);
        db.execute("insert into a values (42)"); // what the app wrote since: the rewind takes it back

        db.write("2_b.sql", "create table b (id int, note text);\ninsert into b values (3);\n");

        await().atMost(Duration.ofSeconds(60)).until(() -> appliedCount("2_b.sql") == 3);
        assertThat(heard.infos.stream().filter(m -> m.startsWith("rewound")).toList()).last().asString()
                .contains("to just before 2_b.sql (from the snapshot after 1, copied ahead)");
        assertThat(db.column("SELECT id FROM b")).containsExactly("3");
        assertThat(db.column("SELECT count(*) FROM a")).containsExactly("0");
        await("the next spare").atMost(Duration.ofSeconds(60)).until(() -> spares().size() == 1);
        assertThat(heard.errors).isEmpty();

        watch.stop();
        watch = null;
        assertThat(spares()).isEmpty();
        assertThat(snapshots()).isEmpty();
    }

    @Test
    void theNextWatchRemovesTheSnapshotsAndSpareAKilledWatchLeft() throws Exception {
        db.write("1_a.sql", "create table a (id int);\n");
        String snapshot = LeftSnapshots.make(db.url(), Snapshots.Kind.WATCH, "aaaaaaaaaaaaaaaa", LeftSnapshots.GONE);
        String spare = LeftSnapshots.make(db.url(), Snapshots.Kind.SPARE, "aaaaaaaaaaaaaaaa", LeftSnapshots.GONE);

        start();

        awaitInfo("removed 2 snapshot(s) a stopped watch left behind");
        assertThat(LeftSnapshots.exists(snapshot)).isFalse();
        assertThat(LeftSnapshots.exists(spare)).isFalse();
    }

    @Test
    void aRewindEndsTheSessionsOfOtherClientsAndSaysHowMany() throws Exception {
        db.write("1_a.sql", "create table a (id int);\n");
        start();
        awaitInfo("applied 1_a.sql");
        try (Connection app = TestPostgres.connect(db.url())) {
            assertThat(app.isValid(2)).isTrue();

            db.write("1_a.sql", "create table a (id int, name text);\n");

            awaitInfo("rewound");
            await().atMost(Duration.ofSeconds(60)).until(() -> appliedCount("1_a.sql") == 2);
            assertThat(heard.infos.stream().filter(m -> m.startsWith("rewound")).findFirst().orElseThrow())
                    .contains("ended 1 other session(s) on it");
            assertThat(app.isValid(2)).isFalse();
        }
        assertThat(db.value("SELECT count(*) FROM information_schema.columns WHERE table_name = 'a'")).isEqualTo("2");
    }

    @Test
    void anEditedFileThatNowFailsLeavesTheDatabaseJustBeforeItUntilItIsFixed() throws Exception {
        db.write("1_a.sql", "create table a (id int);\n");
        db.write("2_b.sql", "create table b (id int);\n");
        db.write("3_c.sql", "create table c (id int);\n");
        start();
        awaitInfo("applied 3_c.sql");

        db.write("2_b.sql", "create table b (id int);\nselect * from no_such_table;\n");

        await().atMost(Duration.ofSeconds(60)).until(() -> "2".equals(watch.status().blockedOn()));
        assertThat(heard.errors).singleElement().asString().contains("2_b.sql:2:15")
                .contains("watch: blocked on 2; 1 later file(s) wait. Save 2_b.sql again to retry.");
        assertThat(db.ledgerVersions()).containsExactly("1");
        assertThat(db.tableExists("b")).isFalse();
        assertThat(db.tableExists("c")).isFalse();

        db.write("2_b.sql", "create table b (id int, fixed boolean);\n");

        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(db.ledgerVersions()).containsExactly("1", "2", "3"));
        assertThat(db.tableExists("c")).isTrue();
        await().atMost(Duration.ofSeconds(30)).until(() -> watch.status().blockedOn() == null);
    }

    @Test
    void whileAnAppStaysConnectedNoSnapshotIsKeptAndAnEditRewindsFromAnEarlierOne() throws Exception {
        db.write("1_a.sql", "create table a (id int);\n");
        start();
        awaitInfo("applied 1_a.sql");
        await().atMost(Duration.ofSeconds(30)).until(() -> !snapshots().isEmpty()); // the state after 1
        try (Connection app = TestPostgres.connect(db.url())) {
            await().atMost(Duration.ofSeconds(30)).until(() -> Integer.parseInt(db.value("SELECT count(*) FROM pg_stat_activity "
                    + "WHERE datname = current_database() AND backend_start < now() - interval '1 second'")) >= 1);

            db.write("2_b.sql", "create table b (id int);\n");
            awaitInfo("no snapshot kept: other sessions use " + db.url().database());
            db.write("2_b.sql", "create table b (id int, c int);\n");

            await().atMost(Duration.ofSeconds(60)).until(() -> appliedCount("2_b.sql") == 2);
            assertThat(heard.infos).filteredOn(m -> m.startsWith("rewound")).singleElement().asString()
                    .contains("to just before 2_b.sql (from the snapshot after 1)").contains("ended 1 other session(s)");
        }
        assertThat(heard.infos).filteredOn(m -> m.startsWith("no snapshot kept")).hasSize(1);
        assertThat(heard.errors).isEmpty();
    }

    @Test
    void aRoleThatMayNotCreateDatabasesGetsTheEditReportedWithTheReason() throws Exception {
        String name = db.url().database();
        db.execute("DO $$ BEGIN CREATE ROLE rewind_it_plain LOGIN; EXCEPTION WHEN duplicate_object THEN NULL; END $$");
        db.execute("GRANT CREATE ON DATABASE " + name + " TO rewind_it_plain");
        db.execute("GRANT ALL ON SCHEMA public TO rewind_it_plain");
        db.write("1_a.sql", "create table a (id int);\n");
        pgshift.config.DatabaseUrl u = db.url();
        PrintStream sink = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
        ctx = new Context(new Settings(new pgshift.config.DatabaseUrl(u.host(), u.port(), name, "rewind_it_plain", null,
                u.properties()), "the test", db.folder()), new Console(sink, sink, false), db.workDir());
        watch = Watch.start(ctx.target(), ctx.planner(), ctx::display,
                new WatchOptions(WatchOptions.DEFAULT_SETTLE, OnEdit.REWIND, false, Duration.ofSeconds(30)), heard);
        awaitInfo("applied 1_a.sql");

        db.write("1_a.sql", "create table a (id int, more int);\n");

        await().atMost(Duration.ofSeconds(30)).until(() -> heard.warnings.stream().anyMatch(w -> w.contains("1_a.sql was edited")));
        assertThat(heard.warnings).singleElement().asString()
                .contains("the role rewind_it_plain may not create databases (it lacks CREATEDB), which a rewind needs");
        assertThat(heard.infos).noneMatch(m -> m.startsWith("rewound"));
        assertThat(snapshots()).isEmpty();
        assertThat(heard.errors).isEmpty();
    }

    @Test
    void noSnapshotIsLeftOnceTheWatchStops() throws Exception {
        db.write("1_a.sql", "create table a (id int);\n");
        start();
        awaitInfo("applied 1_a.sql");
        db.write("2_b.sql", "create table b (id int);\n");
        awaitInfo("applied 2_b.sql");
        await().atMost(Duration.ofSeconds(30)).until(() -> !snapshots().isEmpty());

        watch.stop();

        assertThat(snapshots()).isEmpty();
    }
}
