package pgshift.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import pgshift.testing.Cli;
import pgshift.testing.MigrationDb;

/**
 * The shadow's replay of applied migrations, which may put several files in one transaction:
 * diff, dry-run and verify see the schema apply made, and a file that does not replay is named
 * at its line, also from the middle of a group.
 */
class ShadowReplayIT {

    @RegisterExtension
    final MigrationDb db = new MigrationDb();

    /** A history with what cannot share a transaction in the middle of what can. */
    private void mixedHistory() throws Exception {
        db.write("01_mood.sql", "create type mood as enum ('sad');\ncreate schema other;\n");
        db.write("02_t.sql", "create table t (id int, m mood);\n");
        db.write("03_rows.sql", "insert into t values (1, 'sad'), (2, 'sad');\n");
        db.write("04_add.sql", "alter type mood add value 'happy';\n");
        db.write("05_use.sql", "update t set m = 'happy' where id = 2;\n"
                + "create view happy as select id from t where m = 'happy';\n");
        db.write("06_idx.sql", "create unique index concurrently t_id on t (id);\n");
        db.write("07_path.sql", "set search_path = other, public;\ncreate table elsewhere (id int);\n");
        db.write("08_here.sql", "create table here (id int references t (id));\n");
        db.write("09_pk.sql", "alter table t add constraint t_pk primary key using index t_id;\n");
        db.write("10_fn.sql", "create function happy_count() returns bigint language sql as $$ select count(*) from happy $$;\n");
    }

    @Test
    void aHistoryWithEnumsConcurrentIndexesAndSessionSettingsReplaysToTheSchemaApplyMade() throws Exception {
        mixedHistory();
        assertThat(db.pgshift("apply").code()).isZero();
        List<String> before = ShadowDatabases.names();

        Cli.Result diff = db.pgshift("diff", "--check");

        assertThat(diff.code()).as(diff.all()).isZero();
        assertThat(diff.out()).contains("No differences: " + db.url().masked()
                + " has the schema its 10 applied migration(s) make");
        assertThat(ShadowDatabases.names()).isEqualTo(before);
    }

    @Test
    void aDifferenceInTheMiddleOfAGroupIsStillSeen() throws Exception {
        mixedHistory();
        assertThat(db.pgshift("apply").code()).isZero();
        db.execute("alter table here add column note text");

        Cli.Result diff = db.pgshift("diff", "--check");

        assertThat(diff.code()).as(diff.all()).isEqualTo(1);
        assertThat(diff.out()).contains("here.note").contains("only in database");
    }

    @Test
    void dryRunAfterTheMixedHistoryRehearsesThePendingFileAsApplyWould() throws Exception {
        mixedHistory();
        db.write("11_more.sql", "alter type mood add value 'calm';\n");
        db.write("12_use.sql", "insert into t values (3, 'calm');\n");
        assertThat(db.pgshift("apply", "--to", "10").code()).isZero();

        Cli.Result r = db.pgshift("dry-run");

        assertThat(r.code()).as(r.all()).isZero();
        assertThat(r.out()).contains("Dry-run of 2 migration(s) on the shadow database, after the 10 applied one(s)")
                .containsPattern("ok +11_more.sql").containsPattern("ok +12_use.sql")
                .containsPattern("Rehearsed 2 migration\\(s\\) in \\d+ ms \\(the shadow made and filled in \\d+ ms\\)");
        assertThat(db.value("select count(*) from t")).isEqualTo("2");
    }

    @Test
    void anAppliedFileThatDoesNotReplayInTheMiddleOfAGroupIsNamedAtItsLine() throws Exception {
        db.write("01_items.sql", "create table items (id int);\n");
        db.write("02_a.sql", "create table a (id int);\n");
        db.write("03_b.sql", "create table b (id int);\n");
        db.write("04_broken.sql", "create table c (id int);\ninsert into nowhere values (1);\n");
        db.write("05_d.sql", "create table d (id int);\n");
        db.write("06_pending.sql", "create table pending (id int);\n");
        assertThat(db.pgshift("apply", "--to", "03").code()).isZero();
        assertThat(db.pgshift("mark-applied", "04", "05", "--yes", "--force").code()).isZero();
        List<String> before = ShadowDatabases.names();

        Cli.Result dry = db.pgshift("dry-run");
        Cli.Result diff = db.pgshift("diff");

        assertThat(dry.code()).as(dry.all()).isEqualTo(1);
        assertThat(dry.err()).contains("The applied migrations do not replay into the shadow database (pgshift_shadow_")
                .contains("04_broken.sql:2:13").contains("42P01").contains("3 migration(s) applied before it")
                .doesNotContain("\tat ");
        assertThat(dry.out()).doesNotContain("06_pending.sql");
        assertThat(diff.code()).as(diff.all()).isEqualTo(1);
        assertThat(diff.err()).contains("04_broken.sql:2:13").contains("42P01");
        assertThat(ShadowDatabases.names()).isEqualTo(before);
        assertThat(db.tableExists("c")).isFalse();
    }

    @Test
    void verifyFindsAPendingFileAfterAGroupedReplayAbsentAndAnAppliedOnePresent() throws Exception {
        mixedHistory();
        db.write("11_pending.sql", "create table pending (id int);\n");
        assertThat(db.pgshift("apply", "--to", "10").code()).isZero();

        Cli.Result r = db.pgshift("verify", "11", "08");

        assertThat(r.code()).as(r.all()).isZero();
        assertThat(r.out()).contains("11_pending.sql (pending): absent").contains("08_here.sql (applied): present");
    }

    @Test
    void ctrlCDuringAGroupStopsTheReplayWithoutRunningTheGroupAgain() throws Exception {
        db.write("01_items.sql", "create table items (id int);\n");
        db.write("02_a.sql", "create table a (id int);\n");
        db.write("03_slow.sql", "create table slow (id int);\nselect pg_sleep(60);\n");
        db.write("04_b.sql", "create table b (id int);\n");
        assertThat(db.pgshift("apply", "--to", "02").code()).isZero();
        assertThat(db.pgshift("mark-applied", "03", "04", "--yes", "--force").code()).isZero();
        ShadowDatabases.Interrupted stopped = ShadowDatabases.interruptWhileSleeping(db,
                "the slow file replaying in a shadow database", "diff");
        Cli.Result r = stopped.result();

        // Run again, the group's pg_sleep would hold the process for another minute and then succeed.
        assertThat(r.code()).as(r.toString()).isEqualTo(130);
        assertThat(r.err()).contains("Cancelled while building the shadow database: it is removed; nothing was "
                + "changed on " + db.url().masked()).doesNotContain("Exception");
        assertThat(ShadowDatabases.names()).doesNotContain(stopped.shadow());
    }

    @Test
    void theShadowMadeWhileTheTargetIsReadIsDroppedWhenNothingIsToBeRehearsedOrTheSelectionFails() throws Exception {
        db.write("01_items.sql", "create table items (id int);\n");
        db.write("02_more.sql", "create table more (id int);\n");
        assertThat(db.pgshift("apply", "--to", "01").code()).isZero();
        List<String> before = ShadowDatabases.names();

        Cli.Result wrong = db.pgshift("dry-run", "--to", "77");
        assertThat(db.pgshift("apply").code()).isZero();
        Cli.Result none = db.pgshift("dry-run");

        assertThat(wrong.code()).as(wrong.all()).isNotZero();
        assertThat(wrong.err()).contains("77");
        assertThat(none.code()).as(none.all()).isZero();
        assertThat(none.out()).contains("Nothing to rehearse");
        assertThat(ShadowDatabases.names()).isEqualTo(before);
    }

    @Test
    void aShadowPgshiftMakesCommitsWithoutWaitingForTheDiskAndTheTargetKeepsItsSetting() throws Exception {
        // The database's own default, as ALTER DATABASE ... SET records it (the test server's is off already).
        String failUnless = "do $$ begin if %s exists (select 1 from pg_db_role_setting s join pg_database d "
                + "on d.oid = s.setdatabase where d.datname = current_database() and s.setrole = 0 "
                + "and 'synchronous_commit=off' = any (s.setconfig)) then raise exception 'in %s'; end if; end $$;\n";
        db.write("01_durable.sql", failUnless.formatted("", "a scratch database"));
        db.write("02_scratch.sql", failUnless.formatted("not", "a durable database"));
        assertThat(db.pgshift("apply", "--to", "01").code()).isZero();

        Cli.Result dry = db.pgshift("dry-run");
        Cli.Result apply = db.pgshift("apply");

        assertThat(dry.code()).as("the applied file replays in the shadow: " + dry.all()).isEqualTo(1);
        assertThat(dry.err()).contains("01_durable.sql").contains("in a scratch database");
        assertThat(apply.code()).as("the target has no such default: " + apply.all()).isEqualTo(1);
        assertThat(apply.err()).contains("02_scratch.sql").contains("in a durable database");
    }

}
