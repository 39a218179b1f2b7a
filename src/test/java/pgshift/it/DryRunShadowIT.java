package pgshift.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.sql.Connection;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import pgshift.config.DatabaseUrl;
import pgshift.schema.SchemaSnapshot;
import pgshift.testing.Cli;
import pgshift.testing.MigrationDb;
import pgshift.testing.ShellSession;
import pgshift.testing.TestPostgres;

/** dry-run on a shadow database: files applied as apply runs them, the target untouched, the shadow always dropped. */
class DryRunShadowIT {

    @RegisterExtension
    final MigrationDb db = new MigrationDb();

    private List<String> shadowsBefore;

    @BeforeEach
    void noteShadows() throws Exception {
        shadowsBefore = ShadowDatabases.names();
    }

    /** The target as a before/after check sees it: ledger rows, side table, and the schema snapshot diff takes. */
    private record TargetState(String tablesAndLedger, List<String> applied, SchemaSnapshot schema) {
    }

    private TargetState target() throws Exception {
        List<String> applied = db.tableExists("supabase_migrations.pgshift_applied")
                ? db.column("SELECT version || ':' || origin FROM supabase_migrations.pgshift_applied ORDER BY 1")
                : List.of();
        try (Connection c = TestPostgres.connect(db.url())) {
            return new TargetState(db.snapshot(), applied, SchemaSnapshot.take(c, Set.of()));
        }
    }

    private void enumHistory() throws Exception {
        db.write("1_mood.sql", "create type mood as enum ('sad');\n");
        db.write("2_add.sql", "alter type mood add value 'happy';\n");
        db.write("3_use.sql", "create table feelings (m mood default 'happy');\ninsert into feelings values ('happy');\n");
    }

    @Test
    void anEnumValueAddedInOneFileAndUsedInTheNextRehearsesOnTheShadowButNotInPlace() throws Exception {
        enumHistory();
        assertThat(db.pgshift("apply", "--to", "1").code()).isZero();
        TargetState before = target();

        Cli.Result shadow = db.pgshift("dry-run");
        Cli.Result inPlace = db.pgshift("dry-run", "--in-place");

        assertThat(shadow.code()).as(shadow.all()).isZero();
        assertThat(shadow.err()).contains("Building the shadow database: 0/1 migrations... (pgshift_shadow_");
        assertThat(shadow.out()).contains("Dry-run of 2 migration(s) on the shadow database, after the 1 applied one(s)")
                .containsPattern("ok +2_add.sql +\\(1 statement\\(s\\), \\d+ ms\\)")
                .containsPattern("ok +3_use.sql +\\(2 statement\\(s\\), \\d+ ms\\)")
                .contains("Rehearsed 2 migration(s) in ")
                .contains("nothing was changed on " + db.url().masked());
        assertThat(inPlace.code()).as(inPlace.all()).isEqualTo(1);
        assertThat(inPlace.all()).contains("55P04").contains("cannot be rehearsed in dry-run's single transaction")
                .contains(pgshift.command.DryRunCommand.IN_PLACE_LIMITS);
        assertThat(target()).isEqualTo(before);
        assertThat(ShadowDatabases.names()).isEqualTo(shadowsBefore);
    }

    @Test
    void aCreateIndexConcurrentlyFileIsRehearsedForReal() throws Exception {
        db.write("1_t.sql", "create table t (id int);\ninsert into t values (1), (2);\n");
        db.write("2_idx.sql", "create unique index concurrently t_id on t (id);\n");
        db.write("3_pk.sql", "alter table t add constraint t_pk primary key using index t_id;\n");
        assertThat(db.pgshift("apply", "--to", "1").code()).isZero();
        TargetState before = target();

        Cli.Result shadow = db.pgshift("dry-run");
        Cli.Result inPlace = db.pgshift("dry-run", "--in-place");

        assertThat(shadow.code()).as(shadow.all()).isZero();
        assertThat(shadow.out()).containsPattern("ok +2_idx.sql +\\(1 statement\\(s\\)")
                .containsPattern("ok +3_pk.sql").doesNotContain("not rehearsed");
        assertThat(inPlace.code()).as("in place the index is skipped, so the next file finds none: " + inPlace)
                .isEqualTo(1);
        assertThat(inPlace.out()).contains("not rehearsed: line 1: create unique index concurrently");
        assertThat(target()).isEqualTo(before);
        assertThat(ShadowDatabases.names()).isEqualTo(shadowsBefore);
    }

    @Test
    void aFailingConcurrentIndexIsReportedAsApplyReportsIt() throws Exception {
        db.write("1_t.sql", "create table t (id int);\ninsert into t values (1), (1);\n");
        db.write("2_idx.sql", "-- duplicates\ncreate unique index concurrently t_id on t (id);\n");
        assertThat(db.pgshift("apply", "--to", "1").code()).isZero();

        Cli.Result r = db.pgshift("dry-run");

        assertThat(r.code()).as(r.all()).isEqualTo(1);
        assertThat(r.out()).containsPattern("FAILED +2_idx.sql");
        assertThat(r.err()).contains("migrations/2_idx.sql:2:").contains("23505");
        assertThat(db.value("select count(*) from pg_indexes where indexname = 't_id'")).isEqualTo("0");
        assertThat(ShadowDatabases.names()).isEqualTo(shadowsBefore);
    }

    @Test
    void aFailingPendingFileIsReportedWithItsPlaceAndTheTargetAndShadowAreLeftAsTheyWere() throws Exception {
        db.write("1_accounts.sql", "create table accounts (id serial primary key, email text);\n");
        db.write("2_ok.sql", "create table notes (id int);\n");
        db.write("3_broken.sql", "alter table accounts add column age int;\nupdate accounts set age = 'old';\n");
        db.write("4_later.sql", "create table later (id int);\n");
        assertThat(db.pgshift("apply", "--to", "1").code()).isZero();
        db.execute("insert into accounts (email) values ('a@example.com')");
        TargetState before = target();

        Cli.Result r = db.pgshift("dry-run");

        assertThat(r.code()).as(r.all()).isEqualTo(1);
        assertThat(r.out()).containsPattern("ok +2_ok.sql").containsPattern("FAILED +3_broken.sql")
                .doesNotContain("4_later.sql");
        assertThat(r.err()).contains("Dry-run failed on the shadow database: apply would stop at this file.")
                .contains("migrations/3_broken.sql:2:27").contains("SQLSTATE 22P02")
                .contains("1 later migration(s) not run")
                .contains("The shadow database is removed; nothing was changed on " + db.url().masked())
                .doesNotContain("\tat ");
        assertThat(target()).isEqualTo(before);
        assertThat(ShadowDatabases.names()).isEqualTo(shadowsBefore);
    }

    @Test
    void anAppliedMigrationThatDoesNotReplayEndsTheDryRunBeforeAnyPendingOneRuns() throws Exception {
        db.write("1_broken.sql", "insert into nowhere values (1);\n");
        db.write("2_items.sql", "create table items (id int);\n");
        assertThat(db.pgshift("mark-applied", "1", "--yes", "--force").code()).isZero(); // recorded, never run: it cannot

        Cli.Result r = db.pgshift("dry-run");

        assertThat(r.code()).as(r.all()).isEqualTo(1);
        assertThat(r.err()).contains("The applied migrations do not replay into the shadow database (pgshift_shadow_")
                .contains("rehearse with --in-place").contains("1_broken.sql").contains("nowhere");
        assertThat(r.out()).doesNotContain("2_items.sql");
        assertThat(ShadowDatabases.names()).isEqualTo(shadowsBefore);
    }

    @Test
    void ctrlCStopsTheRehearsalAndDropsTheShadow() throws Exception {
        db.write("1_items.sql", "create table items (id int);\n");
        db.write("2_slow.sql", "create table slow (id int);\nselect pg_sleep(60);\n");
        assertThat(db.pgshift("apply", "--to", "1").code()).isZero();
        TargetState before = target();
        ShadowDatabases.Interrupted stopped = ShadowDatabases.interruptWhileSleeping(db,
                "the pending file's pg_sleep running in a shadow database", "dry-run");
        Cli.Result r = stopped.result();

        assertThat(r.code()).as(r.toString()).isEqualTo(130);
        assertThat(r.err()).contains("Cancelled during the dry-run: the shadow database is removed; nothing was "
                + "changed on " + db.url().masked()).doesNotContain("Exception");
        assertThat(ShadowDatabases.names()).doesNotContain(stopped.shadow()).isEqualTo(shadowsBefore);
        assertThat(target()).isEqualTo(before);
    }

    @Test
    void ctrlCWhileTheShadowIsBuiltSaysSoAndDropsTheShadow() throws Exception {
        db.write("1_slow.sql", "select pg_sleep(60);\n");
        db.write("2_items.sql", "create table items (id int);\n");
        assertThat(db.pgshift("mark-applied", "1", "--yes").code()).isZero();
        TargetState before = target();
        ShadowDatabases.Interrupted stopped = ShadowDatabases.interruptWhileSleeping(db,
                "the applied file's pg_sleep replaying in a shadow database", "dry-run");
        Cli.Result r = stopped.result();

        assertThat(r.code()).as(r.toString()).isEqualTo(130);
        assertThat(r.err()).contains("Cancelled while building the shadow database: it is removed; nothing was "
                + "changed on " + db.url().masked());
        assertThat(r.out()).doesNotContain("Dry-run of").doesNotContain("2_items.sql");
        assertThat(ShadowDatabases.names()).isEqualTo(shadowsBefore);
        assertThat(target()).isEqualTo(before);
    }

    @Test
    void theSelectionOptionsPickWhatIsRehearsed() throws Exception {
        for (int i = 1; i <= 4; i++) {
            db.write(i + "_t" + i + ".sql", "create table t" + i + " (id int);\n");
        }
        assertThat(db.pgshift("apply", "1").code()).isZero();
        assertThat(db.pgshift("apply", "3").code()).isZero(); // 2 is now older than the newest applied one
        TargetState before = target();

        Cli.Result all = db.pgshift("dry-run");
        Cli.Result includeAll = db.pgshift("dry-run", "--include-all", "--to", "2");
        Cli.Result one = db.pgshift("dry-run", "4");

        assertThat(all.code()).as(all.all()).isEqualTo(1);
        assertThat(all.err()).contains("Refusing to run 2_t2.sql").contains("run 'dry-run --include-all'");
        assertThat(includeAll.code()).as(includeAll.all()).isZero();
        assertThat(includeAll.out()).contains("Dry-run of 1 migration(s) on the shadow database, after the 2 applied one(s)")
                .containsPattern("ok +2_t2.sql").doesNotContain("4_t4.sql");
        assertThat(one.code()).as(one.all()).isZero();
        assertThat(one.out()).contains("Dry-run of 1 migration(s)").containsPattern("ok +4_t4.sql").doesNotContain("2_t2.sql");
        assertThat(target()).isEqualTo(before);
        assertThat(ShadowDatabases.names()).isEqualTo(shadowsBefore);

        assertThat(db.pgshift("apply", "--include-all").code()).isZero();
        Cli.Result none = db.pgshift("dry-run");
        assertThat(none.code()).as(none.all()).isZero();
        assertThat(none.out()).contains("Nothing to rehearse");
        assertThat(none.err()).doesNotContain("Building the shadow database");
    }

    private DatabaseUrl roleWithoutCreatedb() throws Exception {
        String role = "pgshift_dryrun_nocreatedb";
        try (Connection c = TestPostgres.connect(TestPostgres.admin()); var st = c.createStatement()) {
            st.execute("DO $$ BEGIN CREATE ROLE " + role + " LOGIN NOCREATEDB; EXCEPTION WHEN duplicate_object THEN NULL; END $$");
            st.execute("ALTER DATABASE " + db.url().database() + " OWNER TO " + role);
        }
        db.execute("ALTER SCHEMA public OWNER TO " + role);
        return new DatabaseUrl(db.url().host(), db.url().port(), db.url().database(), role, null, Map.of());
    }

    @Test
    void aRoleThatMayNotCreateDatabasesRehearsesOnTheEmbeddedPostgres() throws Exception {
        DatabaseUrl asRole = roleWithoutCreatedb();
        enumHistory();
        String url = TestPostgres.urlString(asRole);
        assertThat(Cli.run(db.workDir(), "--database-url", url, "apply", "--to", "1").code()).isZero();
        TargetState before = target();

        Cli.Result r = Cli.run(db.workDir(), "--database-url", url, "dry-run");

        assertThat(r.code()).as(r.all()).isZero();
        assertThat(r.err()).contains("on the embedded PostgreSQL (the role may not create databases (it lacks CREATEDB); "
                + "pass --shadow-url to choose one)");
        assertThat(r.out()).containsPattern("ok +3_use.sql");
        assertThat(target()).isEqualTo(before);
        assertThat(ShadowDatabases.names()).isEqualTo(shadowsBefore);
        assertThat(db.workDir().resolve(".pgshift/data/postmaster.pid")).doesNotExist(); // stopped again
    }

    @Test
    void withNothingPendingTheEmbeddedPostgresIsNotStartedForAShadow() throws Exception {
        DatabaseUrl asRole = roleWithoutCreatedb();
        db.write("1_items.sql", "create table items (id int);\n");
        String url = TestPostgres.urlString(asRole);
        assertThat(Cli.run(db.workDir(), "--database-url", url, "apply").code()).isZero();

        Cli.Result r = Cli.run(db.workDir(), "--database-url", url, "dry-run");

        assertThat(r.code()).as(r.all()).isZero();
        assertThat(r.out()).contains("Nothing to rehearse");
        assertThat(r.all()).doesNotContain("embedded");
        assertThat(db.workDir().resolve(".pgshift/data")).doesNotExist();
    }

    @Test
    void withNoShadowToBeHadItRehearsesInPlaceAndSaysWhy() throws Exception {
        DatabaseUrl asRole = roleWithoutCreatedb();
        Files.writeString(db.workDir().resolve(".pgshift"), "not a folder: the embedded PostgreSQL cannot start here\n");
        db.write("1_items.sql", "create table items (id int);\n");
        TargetState before = target();

        Cli.Result r = Cli.run(db.workDir(), "--database-url", TestPostgres.urlString(asRole), "dry-run");

        assertThat(r.code()).as(r.all()).isZero();
        assertThat(r.err()).contains("warning: No shadow database could be had (Cannot create")
                .contains("rehearsing in place instead. Pass --shadow-url to give one.");
        assertThat(r.out()).containsPattern("ok +1_items.sql").contains("Rolled back: schema and ledger are as they were")
                .contains(pgshift.command.DryRunCommand.IN_PLACE_LIMITS);
        assertThat(target()).isEqualTo(before);
    }

    @Test
    void aGivenShadowIsUsedAndEmptiedAndInPlaceRefusesOne() throws Exception {
        DatabaseUrl given = TestPostgres.freshDatabase("dryrun_given_shadow");
        db.write("1_items.sql", "create table items (id int);\n");
        db.write("2_more.sql", "create table more (id int);\n");
        assertThat(db.pgshift("apply", "1").code()).isZero();

        Cli.Result r = db.pgshift("dry-run", "--shadow-url", TestPostgres.urlString(given));
        Cli.Result both = db.pgshift("dry-run", "--in-place", "--shadow-url", TestPostgres.urlString(given));

        assertThat(r.code()).as(r.all()).isZero();
        assertThat(r.err()).contains("(" + given.database() + " on " + given.address() + " (given))");
        assertThat(r.out()).containsPattern("ok +2_more.sql");
        try (Connection c = TestPostgres.connect(given); var st = c.createStatement();
             var rs = st.executeQuery("SELECT count(*) FROM pg_tables WHERE schemaname = 'public'")) {
            rs.next();
            assertThat(rs.getInt(1)).as("emptied").isZero();
        }
        assertThat(both.code()).isEqualTo(2);
        assertThat(both.err()).contains("--in-place rehearses on the database itself");
        assertThat(db.tableExists("more")).isFalse();
    }

    @Test
    void theShellSaysFirstThatTheShadowIsBeingBuilt() throws Exception {
        enumHistory();
        assertThat(db.pgshift("apply", "--to", "1").code()).isZero();
        try (ShellSession shell = ShellSession.start(db.workDir(), Map.of("DATABASE_URL", db.urlString()),
                db.workDir().resolve("history"))) {
            shell.awaitPrompt();
            String out = shell.run("dry-run");
            assertThat(out.lines().filter(l -> !l.isBlank()).skip(1).findFirst().orElse(""))
                    .startsWith("Building the shadow database: 0/1 migrations... (pgshift_shadow_");
            assertThat(out).containsPattern("ok +3_use.sql").endsWith("2 pending> ");
        }
        assertThat(ShadowDatabases.names()).isEqualTo(shadowsBefore);
    }
}
