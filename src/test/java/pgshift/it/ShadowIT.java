package pgshift.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.sql.Connection;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import pgshift.config.DatabaseUrl;
import pgshift.testing.Cli;
import pgshift.testing.MigrationDb;
import pgshift.testing.ShellSession;
import pgshift.testing.TestPostgres;

/** diff's shadow database: never left behind (failing replay, Ctrl-C), a given one (--shadow-url), the shell's progress line. */
class ShadowIT {

    @RegisterExtension
    final MigrationDb db = new MigrationDb();

    @Test
    void aMigrationThatFailsToReplayEndsTheDiffAndTheShadowIsDropped() throws Exception {
        db.write("1_items.sql", "create table items (id int);\n");
        db.write("2_broken.sql", "insert into nowhere values (1);\n");
        assertThat(db.pgshift("apply", "--to", "1").code()).isZero();
        assertThat(db.pgshift("mark-applied", "2", "--yes", "--force").code()).isZero(); // recorded, never run: it cannot
        List<String> before = ShadowDatabases.names();

        Cli.Result r = db.pgshift("diff");

        assertThat(r.code()).as(r.all()).isEqualTo(1);
        assertThat(r.err()).contains("The applied migrations do not replay into the shadow database (pgshift_shadow_")
                .contains("nothing was changed on " + db.url().masked())
                .contains("2_broken.sql").contains("nowhere");
        assertThat(ShadowDatabases.names()).isEqualTo(before);
        assertThat(db.tableExists("items")).isTrue();
    }

    @Test
    void ctrlCWhileTheShadowIsBuiltStopsTheReplayAndDropsTheShadow() throws Exception {
        db.write("1_items.sql", "create table items (id int);\n");
        db.write("2_slow.sql", "select pg_sleep(60);\n");
        assertThat(db.pgshift("apply", "--to", "1").code()).isZero();
        assertThat(db.pgshift("mark-applied", "2", "--yes", "--force").code()).isZero();
        ShadowDatabases.Interrupted stopped = ShadowDatabases.interruptWhileSleeping(db,
                "the slow file running in a shadow database", "diff");
        Cli.Result r = stopped.result();

        assertThat(r.code()).as(r.toString()).isEqualTo(130);
        assertThat(r.err()).contains("Cancelled while building the shadow database: it is removed; nothing was changed on")
                .doesNotContain("Exception");
        assertThat(ShadowDatabases.names()).doesNotContain(stopped.shadow());
    }

    @Test
    void aGivenShadowDatabaseIsUsedThenEmptiedAndNeverDropped() throws Exception {
        db.write("1_items.sql", "create table items (id int primary key);\ncreate schema app;\ncreate function app.f() "
                + "returns int language sql as 'select 1';\n");
        assertThat(db.pgshift("apply").code()).isZero();
        DatabaseUrl given = TestPostgres.freshDatabase("given_shadow");
        List<String> before = ShadowDatabases.names();

        Cli.Result first = db.pgshift("diff", "--shadow-url", TestPostgres.urlString(given));
        // The second run finds it empty again; this one reads it from .env.
        Files.writeString(db.workDir().resolve(".env"), "SHADOW_DATABASE_URL=" + TestPostgres.urlString(given) + "\n");
        db.execute("drop function app.f()");
        Cli.Result second = db.pgshift("diff", "--json");

        assertThat(first.code()).as(first.all()).isZero();
        assertThat(first.err()).contains("(" + given.database() + " on " + given.address() + " (given))");
        assertThat(first.out()).contains("No differences");
        assertThat(second.code()).as(second.all()).isZero();
        assertThat(second.out()).contains("{\"kind\":\"function\",\"schema\":\"app\",\"name\":\"f()\",\"change\":\"only in migrations\"}");
        assertThat(ShadowDatabases.names()).isEqualTo(before);
        try (Connection c = TestPostgres.connect(given); var st = c.createStatement();
             var rs = st.executeQuery("SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
                     + "WHERE n.nspname IN ('public', 'app')")) {
            rs.next();
            assertThat(rs.getInt(1)).isZero();
        }
    }

    @Test
    void aGivenShadowThatIsNotEmptyOrIsTheTargetIsRefused() throws Exception {
        db.write("1_items.sql", "create table items (id int);\n");
        assertThat(db.pgshift("apply").code()).isZero();
        DatabaseUrl given = TestPostgres.freshDatabase("busy_shadow");
        try (Connection c = TestPostgres.connect(given); var st = c.createStatement()) {
            st.execute("create table someone_elses (id int)");
        }

        Cli.Result busy = db.pgshift("diff", "--shadow-url", TestPostgres.urlString(given));
        Cli.Result self = db.pgshift("diff", "--shadow-url", db.urlString());

        assertThat(busy.code()).as(busy.all()).isEqualTo(2);
        assertThat(busy.err()).contains("The shadow database " + given.masked() + " is not empty: it holds 2 object(s) "
                + "(table public.someone_elses, column public.someone_elses.id)");
        assertThat(self.code()).as(self.all()).isEqualTo(2);
        assertThat(self.err()).contains("is the target database");
        try (Connection c = TestPostgres.connect(given); var st = c.createStatement()) {
            st.execute("select * from someone_elses"); // left as it was
        }
        assertThat(db.tableExists("items")).isTrue();
    }

    @Test
    void schemasLeftOutByDefaultAreComparedWhenAskedForAndASchemaOnOneSideBringsItsObjects() throws Exception {
        db.write("1_items.sql", "create table items (id int);\n");
        assertThat(db.pgshift("apply").code()).isZero();
        db.execute("create schema auth; create table auth.users (id uuid primary key)");

        Cli.Result byDefault = db.pgshift("diff", "--check");
        Cli.Result asked = db.pgshift("diff", "--json", "--schema", "auth");

        assertThat(byDefault.code()).as(byDefault.all()).isZero();
        assertThat(asked.out()).isEqualTo("{\"database\":\"" + db.url().masked() + "\",\"differences\":[\n"
                + "{\"kind\":\"schema\",\"schema\":\"auth\",\"name\":\"auth\",\"change\":\"only in database\"}\n]}\n");
    }

    @Test
    void theShellSaysFirstThatTheShadowIsBeingBuilt() throws Exception {
        db.write("1_items.sql", "create table items (id int);\n");
        db.write("2_tags.sql", "create table tags (id int);\n");
        assertThat(db.pgshift("apply").code()).isZero();
        try (ShellSession shell = ShellSession.start(db.workDir(), Map.of("DATABASE_URL", db.urlString()),
                db.workDir().resolve("history"))) {
            shell.awaitPrompt();
            String out = shell.run("diff");
            assertThat(out.lines().filter(l -> !l.isBlank()).skip(1).findFirst().orElse(""))
                    .startsWith("Building the shadow database: 0/2 migrations... (pgshift_shadow_");
            assertThat(out).contains("No differences");
        }
    }

    @Test
    void aRoleThatMayNotCreateDatabasesGetsItsShadowOnTheEmbeddedPostgres() throws Exception {
        String role = "pgshift_diff_nocreatedb";
        try (Connection c = TestPostgres.connect(TestPostgres.admin()); var st = c.createStatement()) {
            st.execute("DO $$ BEGIN CREATE ROLE " + role + " LOGIN NOCREATEDB; EXCEPTION WHEN duplicate_object THEN NULL; END $$");
            st.execute("ALTER DATABASE " + db.url().database() + " OWNER TO " + role);
        }
        db.execute("ALTER SCHEMA public OWNER TO " + role);
        DatabaseUrl asRole = new DatabaseUrl(db.url().host(), db.url().port(), db.url().database(), role, null, Map.of());
        db.write("1_items.sql", "create table items (id int primary key, name text default 'x');\n"
                + "create view named as select name from items;\n");
        assertThat(Cli.run(db.workDir(), "--database-url", TestPostgres.urlString(asRole), "apply").code()).isZero();
        List<String> before = ShadowDatabases.names();

        Cli.Result r = Cli.run(db.workDir(), "--database-url", TestPostgres.urlString(asRole), "diff");

        assertThat(r.code()).as(r.all()).isZero();
        assertThat(r.err()).contains("on the embedded PostgreSQL (the role may not create databases (it lacks CREATEDB); "
                + "pass --shadow-url to choose one)");
        assertThat(r.out()).contains("No differences");
        assertThat(ShadowDatabases.names()).isEqualTo(before);
        assertThat(db.workDir().resolve(".pgshift/data/postmaster.pid")).doesNotExist(); // stopped again
    }

    @Test
    void aShadowLeftBehindByAProcessThatIsGoneIsDroppedByTheNextDiff() throws Exception {
        db.write("1_items.sql", "create table items (id int);\n");
        assertThat(db.pgshift("apply").code()).isZero();
        try (Connection c = TestPostgres.connect(TestPostgres.admin()); var st = c.createStatement()) {
            st.execute("CREATE DATABASE pgshift_shadow_0000deadbeef");
            // pids never go this high (pid_max is at most 2^22): that process is gone.
            st.execute("COMMENT ON DATABASE pgshift_shadow_0000deadbeef IS 'pgshift shadow database, pid 999999999'");
            st.execute("CREATE DATABASE pgshift_shadow_0000a11ve000");
            st.execute("COMMENT ON DATABASE pgshift_shadow_0000a11ve000 IS 'pgshift shadow database, pid "
                    + ProcessHandle.current().pid() + "'");
        }
        try {
            Cli.Result r = db.pgshift("diff");

            assertThat(r.code()).as(r.all()).isZero();
            assertThat(r.err()).contains("Dropped pgshift_shadow_0000deadbeef, the shadow database of a pgshift that ended "
                    + "without dropping it.");
            assertThat(ShadowDatabases.names()).doesNotContain("pgshift_shadow_0000deadbeef")
                    .contains("pgshift_shadow_0000a11ve000");
        } finally {
            try (Connection c = TestPostgres.connect(TestPostgres.admin()); var st = c.createStatement()) {
                st.execute("DROP DATABASE IF EXISTS pgshift_shadow_0000deadbeef");
                st.execute("DROP DATABASE IF EXISTS pgshift_shadow_0000a11ve000");
            }
        }
    }

    @Test
    void aLongReplaySaysHowFarItGot() throws Exception {
        for (int i = 1; i <= 200; i++) {
            db.write(String.format("%03d_t%d.sql", i, i), "create table t" + i + " (id int);\n");
        }
        assertThat(db.pgshift("apply").code()).isZero();

        Cli.Result r = db.pgshift("diff");

        assertThat(r.code()).as(r.all()).isZero();
        assertThat(r.err().lines().toList()).first().asString().startsWith("Building the shadow database: 0/200 migrations...");
        assertThat(r.err()).contains("Building the shadow database: 100/200 migrations...\n");
        assertThat(r.out()).contains("No differences");
    }

    @Test
    void ctrlCInTheShellStopsTheReplayDropsTheShadowAndKeepsTheShell() throws Exception {
        db.write("1_items.sql", "create table items (id int);\n");
        db.write("2_slow.sql", "select pg_sleep(60);\n");
        assertThat(db.pgshift("apply", "--to", "1").code()).isZero();
        assertThat(db.pgshift("mark-applied", "2", "--yes", "--force").code()).isZero();
        try (ShellSession shell = ShellSession.start(db.workDir(), Map.of("DATABASE_URL", db.urlString()),
                db.workDir().resolve("history"))) {
            shell.awaitPrompt();
            shell.type("diff\n");
            String shadow = ShadowDatabases.awaitRunningSleep("the slow file running in a shadow database");

            shell.interrupt();
            String out = shell.awaitOutput("> ");

            assertThat(out).contains("Cancelled while building the shadow database: it is removed").doesNotContain("\tat ");
            assertThat(ShadowDatabases.names()).doesNotContain(shadow);
            assertThat(shell.run("status")).contains("2 applied");
        }
    }

    /** The default for real: no DATABASE_URL, the embedded database is the target and its server holds the shadow. */
    @Test
    void onTheEmbeddedDatabaseTheShadowIsMadeAndDroppedOnTheSameServer() throws Exception {
        Files.writeString(db.folder().resolve("1_items.sql"), "create table items (id int primary key);\n");
        assertThat(Cli.run(db.workDir(), Map.of(), "apply").code()).isZero();

        Cli.Result clean = Cli.run(db.workDir(), Map.of(), "diff", "--check");
        Cli.Result drifted = Cli.run(db.workDir(), Map.of(), "sql", "--write", "alter table items add column note text");
        Cli.Result found = Cli.run(db.workDir(), Map.of(), "diff", "--json");
        Cli.Result databases = Cli.run(db.workDir(), Map.of(), "sql",
                "select count(*) as shadows from pg_database where datname like 'pgshift%'");

        assertThat(clean.code()).as(clean.all()).isZero();
        assertThat(clean.err()).contains("Building the shadow database: 0/1 migrations... (pgshift_shadow_");
        assertThat(drifted.code()).as(drifted.all()).isZero();
        assertThat(found.out()).contains("{\"kind\":\"column\",\"schema\":\"public\",\"name\":\"items.note\","
                + "\"change\":\"only in database\"}");
        assertThat(databases.out()).containsPattern("(?m)^\\s*0\\s*$");
    }
}
