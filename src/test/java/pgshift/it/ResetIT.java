package pgshift.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import pgshift.db.Snapshots;
import pgshift.testing.Cli;
import pgshift.testing.LeftSnapshots;
import pgshift.testing.MigrationDb;
import pgshift.testing.TestPostgres;

/** reset: a local database dropped, recreated and migrated again, from cached snapshots when files did not change. */
class ResetIT {

    @RegisterExtension
    final MigrationDb db = new MigrationDb();

    private void threeFiles() throws Exception {
        db.write("1_items.sql", "create table items (id int primary key);\ninsert into items values (1);\n");
        db.write("2_tags.sql", "create table tags (id int);\n");
        db.write("3_view.sql", "create view item_ids as select id from items;\n");
    }

    private Cli.Result reset() {
        Cli.Result r = db.pgshift("reset");
        assertThat(r.code()).as(r.all()).isZero();
        return r;
    }

    private List<String> resetSnapshots() throws Exception {
        try (Connection c = TestPostgres.connect(TestPostgres.admin()); var st = c.createStatement();
             var rs = st.executeQuery("SELECT shobj_description(oid, 'pg_database') FROM pg_database WHERE "
                     + "shobj_description(oid, 'pg_database') LIKE 'pgshift reset snapshot of database " + db.url().database()
                     + " %' ORDER BY 1")) {
            List<String> found = new java.util.ArrayList<>();
            while (rs.next()) {
                found.add(rs.getString(1).replaceAll("; made by .*", ""));
            }
            return found;
        }
    }

    @Test
    void aResetRecreatesTheDatabaseAndASecondOneWithNothingChangedRunsNoFile() throws Exception {
        threeFiles();
        Cli.Result first = reset();
        assertThat(first.out()).contains("Recreated " + db.url().database() + " from an empty database.")
                .contains("3 migration(s) applied (0 from the snapshot, 3 run)");
        db.execute("insert into items values (42)"); // what the app wrote since

        Cli.Result second = reset();

        assertThat(second.out()).contains("from the snapshot after 3 (3 of 3 migration(s))")
                .contains("(3 from the snapshot, 0 run)").doesNotContain("applied  ");
        assertThat(db.column("SELECT id FROM items")).containsExactly("1");
        assertThat(db.column("SELECT * FROM item_ids")).containsExactly("1");
        assertThat(db.ledgerVersions()).containsExactly("1", "2", "3");
        assertThat(db.pgshift("status", "--check").code()).isZero();
    }

    @Test
    void aResetAfterEditingTheNewestFileRunsOnlyItAndRemovesOlderSnapshots() throws Exception {
        threeFiles();
        reset();
        assertThat(resetSnapshots()).containsExactly("pgshift reset snapshot of database " + db.url().database() + " after 2",
                "pgshift reset snapshot of database " + db.url().database() + " after 3");

        db.write("3_view.sql", "create view item_ids as select id, id * 2 as twice from items;\n");
        Cli.Result again = reset();

        assertThat(again.out()).contains("from the snapshot after 2 (2 of 3 migration(s))").contains("applied  3_view.sql")
                .doesNotContain("1_items.sql").contains("removed 1 snapshot(s) of older states");
        assertThat(db.column("SELECT twice FROM item_ids")).containsExactly("2");
        assertThat(resetSnapshots()).hasSize(2);
    }

    /**
     * A statement for a migration file that waits until the test opens the gate by creating a role:
     * roles are the server's, so the wait sees it from the database a reset made anew (MigrationDb's
     * gate is an advisory lock, which belongs to one database, and a reset ends its sessions). It
     * gives up after 60 s rather than hang.
     */
    private String gate() {
        return "do $$ begin for i in 1..3000 loop exit when exists (select 1 from pg_roles where rolname = '" + gateRole()
                + "'); perform pg_sleep(0.02); end loop; if not exists (select 1 from pg_roles where rolname = '" + gateRole()
                + "') then raise exception 'the test never opened the gate'; end if; end $$;\n";
    }

    private String gateRole() {
        return "gate_" + db.url().database();
    }

    /** Starts a reset that stops in the file with the gate until {@link #openTheGate} runs; the caller edits files meanwhile. */
    private Process resetHeldAtTheGate() throws Exception {
        Process running = Cli.start(db.workDir(), java.util.Map.of(), "--database-url", db.urlString(), "reset", "--yes");
        await("the reset to reach the gate").atMost(Duration.ofSeconds(60)).until(() -> {
            try (Connection c = TestPostgres.connect(TestPostgres.admin());
                 var ps = c.prepareStatement("SELECT count(*) FROM pg_stat_activity WHERE state = 'active' "
                         + "AND pid <> pg_backend_pid() AND strpos(query, ?) > 0")) {
                ps.setString(1, "exit when exists (select 1 from pg_roles where rolname = '" + gateRole() + "')");
                try (var rs = ps.executeQuery()) {
                    rs.next();
                    return rs.getInt(1) == 1;
                }
            }
        });
        return running;
    }

    private void openTheGate() throws Exception {
        try (Connection c = TestPostgres.connect(TestPostgres.admin()); var st = c.createStatement()) {
            st.execute("CREATE ROLE " + gateRole());
        }
    }

    @org.junit.jupiter.api.AfterEach
    void removeTheGate() throws Exception {
        try (Connection c = TestPostgres.connect(TestPostgres.admin()); var st = c.createStatement()) {
            st.execute("DROP ROLE IF EXISTS " + gateRole());
        }
    }

    @Test
    void theNewestFileEditedWhileAResetRunsGetsNoSnapshotUnderTheContentItHadBefore() throws Exception {
        db.write("1_items.sql", "create table items (id int primary key);\n" + gate());
        db.write("2_tags.sql", "create table tags (id int);\n");
        String original = "create view newest as select 'original' as content;\n";
        db.write("3_view.sql", original);

        Process running = resetHeldAtTheGate();
        db.write("3_view.sql", "create view newest as select 'edited' as content;\n"); // read after this, in the last pass
        openTheGate();
        Cli.Result first = Cli.finish(running);

        assertThat(first.code()).as(first.toString()).isZero();
        assertThat(first.all()).contains("No snapshot kept after 3: 3_view.sql changed while this ran");
        assertThat(db.value("SELECT content FROM newest")).isEqualTo("edited"); // what it read is what ran
        assertThat(resetSnapshots()).containsExactly("pgshift reset snapshot of database " + db.url().database() + " after 2");

        db.write("3_view.sql", original); // back to the content it was hashed with at the start
        Cli.Result second = reset();

        assertThat(second.out()).contains("from the snapshot after 2 (2 of 3 migration(s))").contains("applied  3_view.sql");
        assertThat(db.value("SELECT content FROM newest")).isEqualTo("original");
    }

    @Test
    void anAppliedFileEditedWhileAResetRunsIsSeenAsEditedAndGetsNoSnapshotEvenWhenItsStampHadSettled() throws Exception {
        db.write("1_items.sql", "create table items (id int primary key);\n");
        Path tags = db.write("2_tags.sql", "create table tags (id int);\n" + gate()); // read whole before it waits
        db.write("3_view.sql", "create view item_ids as select id from items;\n");
        // Stamps older than a second are trusted without reading the file (see FileStamp): let them settle.
        await("the files' stamps to settle").atMost(Duration.ofSeconds(10))
                .until(() -> pgshift.migration.FileStamp.of(tags).settled());

        Process running = resetHeldAtTheGate();
        db.write("2_tags.sql", "create table tags (id int, name text);\n" + gate());
        openTheGate();
        Cli.Result r = Cli.finish(running);

        assertThat(r.code()).as(r.toString()).isZero();
        // The last pass read 2_tags.sql again rather than trusting its ledger row: the edit shows.
        assertThat(r.all()).contains("2_tags.sql was edited after it was applied")
                .contains("No snapshot kept after 2: 2_tags.sql changed while this ran")
                .contains("No snapshot kept after 3: 2_tags.sql changed while this ran");
        assertThat(db.column("SELECT column_name FROM information_schema.columns WHERE table_name = 'tags'"))
                .containsExactly("id");
        assertThat(resetSnapshots()).isEmpty();
    }

    @Test
    void aResetIsRefusedOnADatabaseThatIsNotLocalEvenWithYesBeforeConnecting() {
        Cli.Result r = Cli.run(db.workDir(), "--database-url", "postgresql://app:s3cret-pw@db.invalid:5432/app", "reset", "--yes");

        assertThat(r.code()).isEqualTo(2);
        assertThat(r.all()).contains("Refusing to reset app on postgresql://app:")
                .contains("db.invalid is not this machine").doesNotContain("s3cret-pw")
                .doesNotContainIgnoringCase("unknown host").doesNotContainIgnoringCase("could not");
    }

    @Test
    void theDatabasesOwnSettingsCommentAndPrivilegesSurviveAReset() throws Exception {
        threeFiles();
        String name = db.url().database();
        db.execute("ALTER DATABASE " + name + " SET search_path = app_schema, \"$user\", public");
        db.execute("ALTER DATABASE " + name + " SET statement_timeout = '45s'");
        db.execute("COMMENT ON DATABASE " + name + " IS 'the app''s database'");
        db.execute("REVOKE ALL ON DATABASE " + name + " FROM PUBLIC");

        reset();
        reset(); // from the snapshot too

        assertThat(db.value("SHOW search_path")).isEqualTo("app_schema, \"$user\", public");
        assertThat(db.value("SHOW statement_timeout")).isEqualTo("45s");
        assertThat(db.value("SELECT shobj_description(oid, 'pg_database') FROM pg_database WHERE datname = current_database()"))
                .isEqualTo("the app's database");
        assertThat(db.value("SELECT has_database_privilege('public', current_database(), 'CONNECT')")).isEqualTo("f");
    }

    @Test
    void aResetEndsOtherSessionsAndSaysHowMany() throws Exception {
        threeFiles();
        try (Connection app = TestPostgres.connect(db.url())) {
            Cli.Result r = reset();
            assertThat(r.all()).contains("Ended 1 other session(s) on " + db.url().database() + ".");
            assertThat(app.isValid(2)).isFalse();
        }
    }

    @Test
    void onASupabaseStacksDatabaseOnlyWhatTheMigrationsOwnIsDroppedAndSupabasesSchemasStay() throws Exception {
        // What a local Supabase stack's database has that pgshift's base never makes: its services' own tables.
        db.execute("DO $$ BEGIN CREATE ROLE reset_it_anon NOLOGIN; EXCEPTION WHEN duplicate_object THEN NULL; END $$");
        db.execute("CREATE SCHEMA auth; CREATE TABLE auth.schema_migrations (version text); "
                + "CREATE TABLE auth.users (id int primary key, email text); INSERT INTO auth.users VALUES (1, 'a@example.com')");
        db.execute("CREATE SCHEMA storage; CREATE TABLE storage.migrations (id int)");
        db.execute("GRANT USAGE ON SCHEMA public TO reset_it_anon");
        db.execute("ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT ON TABLES TO reset_it_anon");
        db.write("1_app.sql", "create schema app;\ncreate table app.settings (k text);\n"
                + "create table public.profiles (id int references auth.users (id));\ninsert into public.profiles values (1);\n");
        assertThat(db.pgshift("apply").code()).isZero();
        db.execute("insert into public.profiles values (1)"); // the app's row

        Cli.Result r = reset();

        assertThat(r.out()).contains("This is a Supabase stack's database")
                .contains("Dropped public, app (public made again with its privileges) and emptied the ledger")
                .contains("Reset " + db.url().database() + ": 1 migration(s) applied");
        assertThat(db.column("SELECT email FROM auth.users")).containsExactly("a@example.com");
        assertThat(db.tableExists("storage.migrations")).isTrue();
        assertThat(db.column("SELECT id FROM public.profiles")).containsExactly("1");
        assertThat(db.tableExists("app.settings")).isTrue();
        assertThat(db.value("SELECT has_table_privilege('reset_it_anon', 'public.profiles', 'SELECT')")).isEqualTo("t");
        assertThat(db.ledgerVersions()).containsExactly("1");
        try (Connection c = TestPostgres.connect(TestPostgres.admin()); var st = c.createStatement();
             var rs = st.executeQuery("SELECT count(*) FROM pg_database WHERE datname LIKE 'pgshift\\_%' AND "
                     + "shobj_description(oid, 'pg_database') LIKE '% of database " + db.url().database() + " %'")) {
            rs.next();
            assertThat(rs.getInt(1)).isZero(); // no snapshot of a stack's database
        }
    }

    @Test
    void inASupabaseProjectTheRecreatedDatabaseGetsTheSupabaseBaseBeforeTheMigrations() throws Exception {
        java.nio.file.Path migrations = java.nio.file.Files.createDirectories(db.workDir().resolve("supabase/migrations"));
        java.nio.file.Files.writeString(db.workDir().resolve("supabase/config.toml"), "project_id = \"reset-it\"\n");
        java.nio.file.Files.writeString(migrations.resolve("1_profiles.sql"), "create table public.profiles (\n"
                + "  id uuid primary key references auth.users (id),\n  name text);\n"
                + "alter table public.profiles enable row level security;\n"
                + "create policy own on public.profiles for select to authenticated using (auth.uid() = id);\n");
        java.nio.file.Files.writeString(migrations.resolve("2_more.sql"), "create table public.more (id int);\n");

        Cli.Result first = db.pgshift("--dir", "supabase/migrations", "reset");
        assertThat(first.code()).as(first.all()).isZero();
        Cli.Result second = db.pgshift("--dir", "supabase/migrations", "reset");
        assertThat(second.code()).as(second.all()).isZero();

        assertThat(second.out()).contains("(2 from the snapshot, 0 run)");
        assertThat(db.value("SELECT count(*) FROM pg_policies WHERE policyname = 'own'")).isEqualTo("1");
        assertThat(db.value("SELECT to_regprocedure('auth.uid()') IS NOT NULL")).isEqualTo("t");
        assertThat(db.ledgerVersions()).containsExactly("1", "2");
    }

    @Test
    void aRoleThatMayNotCreateDatabasesIsToldSoAndNothingChanges() throws Exception {
        threeFiles();
        assertThat(db.pgshift("apply").code()).isZero();
        db.execute("DO $$ BEGIN CREATE ROLE reset_it_plain LOGIN; EXCEPTION WHEN duplicate_object THEN NULL; END $$");
        pgshift.config.DatabaseUrl u = db.url();
        String asPlain = TestPostgres.urlString(new pgshift.config.DatabaseUrl(u.host(), u.port(), u.database(),
                "reset_it_plain", null, u.properties()));

        Cli.Result r = Cli.run(db.workDir(), "--database-url", asPlain, "reset", "--yes");

        assertThat(r.code()).isEqualTo(3);
        assertThat(r.all()).contains("the role reset_it_plain may not create databases (it lacks CREATEDB)")
                .contains("Nothing was changed.");
        assertThat(db.ledgerVersions()).containsExactly("1", "2", "3");
    }

    @Test
    void aFailingMigrationStopsTheResetWithItsReportAndTheNextResetStartsAfresh() throws Exception {
        threeFiles();
        db.write("2_tags.sql", "create table tags (id int);\nselect * from missing_table;\n");

        Cli.Result r = db.pgshift("reset");

        assertThat(r.code()).isEqualTo(1);
        assertThat(r.all()).contains("2_tags.sql:2:15").contains("42P01");
        assertThat(db.ledgerVersions()).containsExactly("1");

        db.write("2_tags.sql", "create table tags (id int);\n");
        assertThat(reset().out()).contains("3 migration(s) applied");
        assertThat(db.ledgerVersions()).containsExactly("1", "2", "3");
    }

    @Test
    void aResetsFilesShareTransactionsEachWithTheLedgerRowApplyWrites() throws Exception {
        for (int i = 1; i <= 5; i++) {
            db.write(i + "_t" + i + ".sql", "create table t" + i + " (id int);\ninsert into t" + i + " values (" + i + ");\n");
        }

        Cli.Result r = reset();

        // The first pass runs the four oldest files (the snapshot after the one-but-newest comes next), the newest
        // alone; a run's first file streams while the others are read, so it runs before they can join it.
        assertThat(r.out()).contains("applied  2_t2.sql  (2 statement(s), in one transaction with 2 other file(s): ")
                .contains("applied  4_t4.sql  (2 statement(s), in one transaction with 2 other file(s): ")
                .containsPattern("applied  5_t5.sql  \\(2 statement\\(s\\), \\d+ ms\\)");
        assertThat(db.column("SELECT count(DISTINCT xmin::text) FROM supabase_migrations.schema_migrations "
                + "WHERE version IN ('2', '3', '4')")).containsExactly("1");
        assertThat(db.column("SELECT count(DISTINCT xmin::text) FROM supabase_migrations.schema_migrations"))
                .containsExactly("3");
        assertThat(db.column("SELECT array_to_string(statements, '|') FROM supabase_migrations.schema_migrations "
                + "WHERE version = '3'")).containsExactly("create table t3 (id int)|insert into t3 values (3)");
        assertThat(db.column("SELECT id FROM t4")).containsExactly("4");
        assertThat(db.pgshift("status", "--check").code()).isZero();
    }

    @Test
    void anEnumValueAddedInOneFileAndUsedInTheNextStillResetsWhenTheirSharedTransactionFails() throws Exception {
        db.write("1_mood.sql", "create type mood as enum ('sad');\ncreate table people (m mood);\n");
        db.write("2_happy.sql", "alter type mood add value 'happy';\n");
        db.write("3_use.sql", "insert into people values ('happy');\n"); // 55P04 in the transaction that added it
        db.write("4_more.sql", "create table more (id int);\n");

        Cli.Result r = reset();

        assertThat(r.out()).contains("4 migration(s) applied (0 from the snapshot, 4 run)");
        assertThat(db.column("SELECT m::text FROM people")).containsExactly("happy");
        assertThat(db.ledgerVersions()).containsExactly("1", "2", "3", "4");
    }

    @Test
    void aResetRemovesWhatAKilledWatchLeftButNotWhatARunningWatchKeeps() throws Exception {
        threeFiles();
        String deadSnapshot = LeftSnapshots.make(db.url(), Snapshots.Kind.WATCH, "aaaaaaaaaaaaaaaa", LeftSnapshots.GONE);
        String deadSpare = LeftSnapshots.make(db.url(), Snapshots.Kind.SPARE, "bbbbbbbbbbbbbbbb", LeftSnapshots.GONE);
        String liveSpare = LeftSnapshots.make(db.url(), Snapshots.Kind.SPARE, "cccccccccccccccc", ProcessHandle.current().pid());
        try {
            Cli.Result r = reset();

            assertThat(r.out()).contains("removed 2 snapshot(s) of older states");
            assertThat(LeftSnapshots.exists(deadSnapshot)).isFalse();
            assertThat(LeftSnapshots.exists(deadSpare)).isFalse();
            assertThat(LeftSnapshots.exists(liveSpare)).as("a running watch's").isTrue();
        } finally {
            LeftSnapshots.drop(liveSpare);
        }
    }

    @Test
    void aResetLoadsTheSeedFilesAfterTheMigrationsAndKeepsThemOutOfTheSnapshot() throws Exception {
        threeFiles();
        java.nio.file.Files.writeString(db.workDir().resolve("seed.sql"),
                "COPY items (id) FROM stdin;\n7\n8\n\\.\n");

        Cli.Result first = reset();
        assertThat(first.out()).containsPattern("Seeded seed\\.sql: 1 statement\\(s\\), 2 row\\(s\\) written, \\d+ ms\\.");
        assertThat(db.column("SELECT id FROM items ORDER BY id")).containsExactly("1", "7", "8");

        Cli.Result second = reset();
        assertThat(second.out()).contains("(3 from the snapshot, 0 run)").contains("Seeded seed.sql");
        assertThat(db.column("SELECT id FROM items ORDER BY id")).as("seeded once, on the migrated state")
                .containsExactly("1", "7", "8");

        Cli.Result none = db.pgshift("reset", "--no-seed");
        assertThat(none.code()).as(none.all()).isZero();
        assertThat(db.column("SELECT id FROM items ORDER BY id")).containsExactly("1");
    }

    @Test
    void aFailingSeedAfterResetKeepsTheMigrationsAndAGlobMatchingNothingChangesNothing() throws Exception {
        threeFiles();
        reset();
        db.execute("insert into items values (42)");

        Cli.Result nothing = db.pgshift("reset", "--seed", "seeds/*.sql");
        assertThat(nothing.code()).as(nothing.all()).isEqualTo(2);
        assertThat(db.column("SELECT id FROM items ORDER BY id")).as("nothing dropped").containsExactly("1", "42");

        java.nio.file.Files.writeString(db.workDir().resolve("seed.sql"), "COPY items (id) FROM stdin;\n1\n\\.\n");
        Cli.Result failing = db.pgshift("reset");
        assertThat(failing.code()).as(failing.all()).isEqualTo(1);
        assertThat(failing.err()).contains("seed.sql:2:1\n").contains("(SQLSTATE 23505)");
        assertThat(db.ledgerVersions()).containsExactly("1", "2", "3");
    }
}
