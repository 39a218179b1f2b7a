package pgshift.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import pgshift.engine.Seeds;
import pgshift.failure.PgshiftException;
import pgshift.testing.Cli;
import pgshift.testing.MigrationDb;
import pgshift.testing.TestPostgres;

/** Seed files against a real PostgreSQL: loaded one transaction each, reported like migrations, never in the ledger. */
class SeedsIT {

    @RegisterExtension
    final MigrationDb db = new MigrationDb();

    /** The head of what pg_dump --data-only writes, which changes the session, then a COPY block. */
    static final String DUMP = """
            SET statement_timeout = 0;
            SET client_encoding = 'UTF8';
            SET standard_conforming_strings = on;
            SELECT pg_catalog.set_config('search_path', '', false);

            COPY public.users (id, email, bio) FROM stdin;
            1\tana@example.com\tlikes ; and -- and $$
            2\tbo@example.com\t\\N
            3\tçé@example.com\tnaïve\\ttab
            \\.
            """;

    private Path seed(String name, String sql) throws Exception {
        return Files.writeString(db.workDir().resolve(name), sql);
    }

    private final List<String> out = new ArrayList<>();

    private void run(Path... files) throws Exception {
        try (Connection conn = TestPostgres.connect(db.url())) {
            Seeds.run(conn, List.of(files), p -> db.workDir().relativize(p).toString(), out::add);
            // The seed's search_path '' and settings are gone for whoever uses the connection next.
            try (Statement st = conn.createStatement(); ResultSet rs = st.executeQuery("show search_path")) {
                rs.next();
                assertThat(rs.getString(1)).isEqualTo("\"$user\", public");
            }
            assertThat(conn.getAutoCommit()).isTrue();
        }
    }

    @Test
    void aSeedWithACopyBlockLoadsInOneTransactionAndSaysWhatItWrote() throws Exception {
        db.execute("create table users (id int primary key, email text not null, bio text)");
        Path dump = seed("seed.sql", DUMP);
        Path more = seed("more.sql", "begin;\ninsert into public.users values (4, 'dee@example.com', null), "
                + "(5, 'eve@example.com', null);\nupdate public.users set bio = 'x' where id = 5;\ncommit;\n");

        run(dump, more);

        assertThat(db.column("select id || ' ' || email || ' ' || coalesce(bio, 'NULL') from users order by id"))
                .containsExactly("1 ana@example.com likes ; and -- and $$", "2 bo@example.com NULL",
                        "3 çé@example.com naïve\ttab", "4 dee@example.com NULL", "5 eve@example.com x");
        assertThat(out).hasSize(2);
        assertThat(out.get(0)).matches("Seeded seed\\.sql: 5 statement\\(s\\), 3 row\\(s\\) written, \\d+ ms\\.");
        assertThat(out.get(1)).matches("Seeded more\\.sql: 2 statement\\(s\\), 3 row\\(s\\) written, \\d+ ms\\.");
        assertThat(db.tableExists("supabase_migrations.schema_migrations")).as("seeds write no ledger").isFalse();
    }

    @Test
    void theFirstFailingSeedIsReportedLikeAMigrationAndStopsTheSeedingWithEarlierFilesKept() throws Exception {
        db.execute("create table users (id int primary key, email text not null, bio text)");
        Path first = seed("a.sql", "insert into users values (10, 'first@example.com', null);\n");
        Path failing = seed("b.sql", DUMP.replace("2\tbo@example.com\t\\N", "2\t\\N\t\\N"));
        Path later = seed("c.sql", "insert into users values (30, 'later@example.com', null);\n");

        assertThatThrownBy(() -> run(first, failing, later))
                .isInstanceOf(PgshiftException.class)
                .hasMessageStartingWith("b.sql:8:1\n")
                .hasMessageContaining("null value in column \"email\"")
                .hasMessageContaining("(SQLSTATE 23502)")
                .hasMessageContaining("CONTEXT: COPY users, line 2")
                .hasMessageContaining("8 | 2\t\\N\t\\N")
                .hasMessageContaining("Rolled back: nothing from b.sql was loaded.")
                .hasMessageContaining("Seed file(s) loaded before it stay loaded: a.sql. 1 later seed file(s) not run.");
        assertThat(db.column("select id from users order by id")).containsExactly("10");
    }

    @Test
    void aSyntaxErrorPointsAtItsColumnWithACaret() throws Exception {
        Path bad = seed("seed.sql", "create table t (id int);\ninsert into t valuse (1);\n");

        assertThatThrownBy(() -> run(bad))
                .hasMessageStartingWith("seed.sql:2:15\n")
                .hasMessageContaining("(SQLSTATE 42601)")
                .hasMessageContaining("  |               ^")
                .hasMessageContaining("No seed file was loaded before it.");
        assertThat(db.tableExists("t")).isFalse();
    }

    @Test
    void aDeferredConstraintFailingAtCommitNamesTheFileAndRollsItBack() throws Exception {
        db.execute("create table parent (id int primary key); create table child (id int, parent_id int references "
                + "parent deferrable initially deferred)");
        Path bad = seed("seed.sql", "insert into child values (1, 99);\ninsert into child values (2, 98);\n");

        assertThatThrownBy(() -> run(bad))
                .hasMessageContaining("seed.sql:1: one of the statements on lines 1-2 failed")
                .hasMessageContaining("(SQLSTATE 23503)")
                .hasMessageContaining("Rolled back: nothing from seed.sql was loaded.");
        assertThat(db.value("select count(*) from child")).isEqualTo("0");
    }

    @Test
    void aSeedWaitingForALockAnotherSessionHoldsIsCancelledAndTheHolderNamed() throws Exception {
        db.execute("create table t (id int)");
        Path waits = seed("seed.sql", "SET lock_timeout = 0;\ninsert into t values (1);\n");
        Seeds.LockGuard guard = new Seeds.LockGuard(() -> {
            try {
                return TestPostgres.connect(db.url());
            } catch (java.sql.SQLException e) {
                throw new IllegalStateException(e);
            }
        }, java.time.Duration.ofSeconds(1));
        try (Connection app = TestPostgres.connect(db.url()); Connection conn = TestPostgres.connect(db.url())) {
            app.setAutoCommit(false);
            try (Statement st = app.createStatement()) {
                st.execute("lock table t in access exclusive mode");
            }
            int appPid = app.unwrap(org.postgresql.PGConnection.class).getBackendPID();

            assertThatThrownBy(() -> Seeds.run(conn, List.of(waits), p -> "seed.sql", out::add, guard))
                    .hasMessageStartingWith("seed.sql:2:1\n")
                    .hasMessageContaining("(SQLSTATE 57014)")
                    .hasMessageContaining("Gave up after 1 s waiting for a lock on table t: held by pid " + appPid)
                    .hasMessageContaining("pg_terminate_backend(" + appPid + ")");
            app.rollback();
        }
        assertThat(db.value("select count(*) from t")).isEqualTo("0");
    }

    @Test
    void aConnectionLostDuringASeedIsReportedAsThatSeedsFailure() throws Exception {
        db.execute("create table t (id int)");
        Path dies = seed("seed.sql", "insert into t values (1);\nselect pg_terminate_backend(pg_backend_pid());\n");

        assertThatThrownBy(() -> run(dies))
                .isInstanceOf(PgshiftException.class)
                .hasMessageStartingWith("seed.sql:2:1\n")
                .hasMessageContaining("(SQLSTATE 57P01)")
                .hasMessageContaining("Rolled back: nothing from seed.sql was loaded.");
        assertThat(db.value("select count(*) from t")).isEqualTo("0");
    }

    @Test
    void statementsThatCannotRunInTheSeedsTransactionAreRefusedBeforeAnythingRuns() throws Exception {
        db.execute("create table t (id int)");
        Path bad = seed("seed.sql", "insert into t values (1);\ncommit;\ninsert into t values (2);\n");
        Path vacuum = seed("vacuum.sql", "insert into t values (1);\n  vacuum t;\n");

        assertThatThrownBy(() -> run(bad)).hasMessageStartingWith("seed.sql:2:1: COMMIT cannot run in the one transaction");
        assertThatThrownBy(() -> run(vacuum)).hasMessageStartingWith("vacuum.sql:2:3: VACUUM cannot run");
        assertThat(db.value("select count(*) from t")).isEqualTo("0");
    }

    @Test
    void applyWithSeedOptionsChecksThemFirstAndSaysWhenSeedsAreNotLoaded() throws Exception {
        db.write("1_t.sql", "create table t (id int);\n");
        seed("seed.sql", "insert into t values (1);\n");

        Cli.Result nothing = db.pgshift("apply", "--seed", "seeds/*.sql");
        assertThat(nothing.code()).as(nothing.toString()).isEqualTo(2);
        assertThat(nothing.err()).contains("--seed seeds/*.sql matches no file");
        assertThat(db.tableExists("t")).as("nothing ran").isFalse();

        Cli.Result configured = db.pgshift("apply", "--seed", "seed.sql");
        assertThat(configured.code()).as(configured.toString()).isZero();
        assertThat(configured.err()).contains("Seed files not loaded: they load after the first apply on the embedded "
                + "database (no DATABASE_URL) and after reset");
        assertThat(db.value("select count(*) from t")).as("a configured database is never seeded by apply").isEqualTo("0");
    }

    /**
     * The embedded default, for real: no DATABASE_URL, a Supabase layout, its first apply loads
     * supabase/seed.sql (a COPY block), and later applies do not load it again.
     */
    @Test
    void theEmbeddedDatabasesFirstApplyLoadsTheSupabaseSeedOnce() throws Exception {
        Path project = Files.createDirectories(db.workDir().resolve("project"));
        Path migrations = Files.createDirectories(project.resolve("supabase/migrations"));
        Files.writeString(migrations.resolve("20250101000000_users.sql"),
                "create table public.users (id int primary key, email text not null, bio text);\n");
        Files.writeString(project.resolve("supabase/seed.sql"), DUMP);

        Cli.Result first = Cli.run(project, Map.of(), "apply");

        assertThat(first.code()).as(first.toString()).isZero();
        assertThat(first.out()).containsPattern("Applied 1 migration\\(s\\) in \\d+ ms\\.\nSeeded supabase/seed\\.sql: "
                + "5 statement\\(s\\), 3 row\\(s\\) written, \\d+ ms\\.");

        Files.writeString(migrations.resolve("20250102000000_more.sql"), "alter table public.users add column age int;\n");
        Cli.Result second = Cli.run(project, Map.of(), "apply");
        assertThat(second.code()).as(second.toString()).isZero();
        assertThat(second.out()).contains("Applied 1 migration(s)").doesNotContain("Seeded");

        Cli.Result rows = Cli.run(project, Map.of(), "sql", "select count(*) from public.users");
        assertThat(rows.code()).as(rows.toString()).isZero();
        assertThat(rows.out()).containsPattern("(?m)^\\s*3\\s*$");
    }

    @Test
    void onTheEmbeddedDatabaseSeedGlobsLoadInNameOrderAndNoSeedLoadsNone() throws Exception {
        for (String project : List.of("globbed", "unseeded")) {
            Path migrations = Files.createDirectories(db.workDir().resolve(project + "/migrations"));
            Files.writeString(migrations.resolve("1_t.sql"), "create table t (n int, at timestamptz default clock_timestamp());\n");
            Files.writeString(db.workDir().resolve(project + "/seed.sql"), "insert into t (n) values (0);\n");
            Path seeds = Files.createDirectories(db.workDir().resolve(project + "/seeds"));
            Files.writeString(seeds.resolve("b.sql"), "insert into t (n) values (2);\n");
            Files.writeString(seeds.resolve("a.sql"), "copy t (n) from stdin;\n1\n\\.\n");
        }

        Cli.Result globbed = Cli.run(db.workDir().resolve("globbed"), Map.of(), "apply", "--seed", "seeds/*.sql");
        assertThat(globbed.code()).as(globbed.toString()).isZero();
        assertThat(globbed.out()).containsPattern("Seeded seeds/a\\.sql: .*\nSeeded seeds/b\\.sql: ")
                .doesNotContain("Seeded seed.sql");
        Cli.Result order = Cli.run(db.workDir().resolve("globbed"), Map.of(), "sql", "select string_agg(n::text, ',' order by at) from t");
        assertThat(order.out()).as(order.toString()).contains("1,2");

        Cli.Result unseeded = Cli.run(db.workDir().resolve("unseeded"), Map.of(), "apply", "--no-seed");
        assertThat(unseeded.code()).as(unseeded.toString()).isZero();
        assertThat(unseeded.out()).contains("Applied 1 migration(s)").doesNotContain("Seeded");
        Cli.Result none = Cli.run(db.workDir().resolve("unseeded"), Map.of(), "sql", "select count(*) as rows from t");
        assertThat(none.out()).as(none.toString()).containsPattern("(?m)^\\s*0\\s*$");
    }

    @Test
    void aFailingSeedAfterTheEmbeddedFirstApplyKeepsTheMigrationsAndSaysSo() throws Exception {
        Path project = Files.createDirectories(db.workDir().resolve("project"));
        Path migrations = Files.createDirectories(project.resolve("migrations"));
        Files.writeString(migrations.resolve("1_users.sql"), "create table users (id int primary key);\n");
        Files.writeString(project.resolve("seed.sql"), "copy users from stdin;\n1\n1\n\\.\n");

        Cli.Result first = Cli.run(project, Map.of(), "apply");

        assertThat(first.code()).as(first.toString()).isEqualTo(1);
        assertThat(first.out()).contains("Applied 1 migration(s)");
        assertThat(first.err()).contains("seed.sql:3:1\n").contains("(SQLSTATE 23505)")
                .contains("Rolled back: nothing from seed.sql was loaded.");
        Cli.Result status = Cli.run(project, Map.of(), "status", "--check");
        assertThat(status.code()).as("the migration stays applied: " + status).isZero();
    }
}
