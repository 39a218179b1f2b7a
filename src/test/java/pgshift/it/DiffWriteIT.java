package pgshift.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import pgshift.testing.Cli;
import pgshift.testing.MigrationDb;

/**
 * diff --write: the differences written as a migration, proven in the shadow. Each round trip is
 * checked from outside too: the written file, recorded with mark-applied (which checks the schema
 * on its own shadow), leaves diff with nothing to report.
 */
class DiffWriteIT {

    @RegisterExtension
    final MigrationDb db = new MigrationDb();

    @BeforeAll
    static void aRoleToGrantTo() throws Exception {
        RichHistory.createRole();
    }

    private void richHistoryApplied() throws Exception {
        RichHistory.write(db);
        Cli.Result applied = db.pgshift("apply");
        assertThat(applied.code()).as(applied.all()).isZero();
    }

    private List<Path> written(String name) throws Exception {
        try (Stream<Path> files = Files.list(db.folder())) {
            return files.filter(f -> f.getFileName().toString().endsWith("_" + name + ".sql")).toList();
        }
    }

    /** Writes NAME, expects it kept and proven, records it, and expects diff to find nothing left. */
    private String roundTrip(String name) throws Exception {
        Cli.Result w = db.pgshift("diff", "--write", name);
        assertThat(w.code()).as(w.all()).isZero();
        assertThat(w.out()).contains("Proven: the applied migrations and this file");
        List<Path> files = written(name);
        assertThat(files).hasSize(1);
        String text = Files.readString(files.get(0));
        assertThat(text).contains("-- Proven by replay");
        String version = files.get(0).getFileName().toString().split("_")[0];
        Cli.Result marked = db.pgshift("mark-applied", version);
        assertThat(marked.code()).as(marked.all() + "\n" + text).isZero();
        Cli.Result diff = db.pgshift("diff", "--check");
        assertThat(diff.code()).as(diff.all() + "\n" + text).isZero();
        assertThat(Files.exists(db.workDir().resolve(".pgshift/diff-write"))).isFalse();
        return text;
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {
            "create table handmade (id int primary key, name text default 'x', account_id bigint references accounts (id)); "
                    + "create index on handmade (name); comment on table handmade is 'by hand'; "
                    + "grant select on handmade to pgshift_diff_reader",
            "alter table accounts drop column note",
            "alter table accounts alter column created set default '2026-01-01'",
            "create or replace function touch() returns trigger language plpgsql as $$ begin return new; end $$",
            "create policy extra on accounts for insert with check (true)",
            "drop index accounts_created",
            "revoke select, insert on accounts from pgshift_diff_reader",
            "revoke insert on accounts from pgshift_diff_reader",
            "alter table accounts add column score int not null default 0",
            "alter type mood add value 'fine' after 'ok'; alter type mood add value 'blue' before 'sad'",
            "create or replace view active with (security_invoker = true) as select id, email, mood from accounts where mood <> 'sad'",
            "alter table accounts add constraint email_has_at check (email like '%@%')",
            "create trigger accounts_touch_insert before insert on accounts for each row execute function touch()",
            "create table events_2027 partition of events for values from ('2027-01-01') to ('2028-01-01')",
            "alter table accounts disable row level security; drop policy own on accounts",
            "create extension hstore; comment on column accounts.nick is 'what friends say'",
            "drop view active; drop materialized view counts; drop table scratch; drop sequence tickets",
            "alter publication realtime add table app.settings where (k <> 'secret')",
            "alter publication realtime drop table accounts",
            "create publication everything for all tables; alter publication realtime set (publish = 'insert')",
            "alter default privileges in schema public grant select on tables to pgshift_diff_reader; "
                    + "alter default privileges in schema app grant execute on functions to pgshift_diff_reader",
            "alter table app.settings alter column v type json using v::json; create schema reports; "
                    + "create view reports.busy as select count(*) from accounts; create view reports.busier as select * from reports.busy",
    })
    void aPlantedDriftIsWrittenAsAMigrationThatProvesItself(String drift) throws Exception {
        richHistoryApplied();
        db.execute(drift);

        roundTrip("capture_drift");
    }

    @Test
    void aSchemaMadeByHandBecomesTheBaselineMigration() throws Exception {
        RichHistory.runByHand(db);

        String text = roundTrip("baseline");

        assertThat(text).contains("CREATE TABLE public.accounts (").contains("CREATE TYPE public.mood AS ENUM ('sad', 'ok', 'happy');")
                .contains("CREATE TABLE public.events_2026 PARTITION OF public.events FOR VALUES FROM ('2026-01-01') TO ('2027-01-01');")
                .contains("CREATE POLICY own ON public.accounts");
        assertThat(text.indexOf("CREATE SCHEMA app;")).isLessThan(text.indexOf("CREATE TABLE app.settings"));
        assertThat(text.indexOf("CREATE TABLE public.accounts")).isLessThan(text.indexOf("CREATE TABLE public.events ("));
    }

    @Test
    void noDifferenceWritesNothing() throws Exception {
        richHistoryApplied();

        Cli.Result w = db.pgshift("diff", "--write", "nothing");

        assertThat(w.code()).as(w.all()).isZero();
        assertThat(w.out()).contains("nothing to write");
        assertThat(written("nothing")).isEmpty();
    }

    @Test
    void whatItCannotWriteIsListedAtTheTopAndItExitsWithOne() throws Exception {
        richHistoryApplied();
        db.execute("alter type mood rename value 'happy' to 'glad'; create table also_by_hand (id int)");

        Cli.Result w = db.pgshift("diff", "--write", "partial");

        assertThat(w.code()).as(w.all()).isEqualTo(1);
        assertThat(w.out()).contains("Not complete: 1 difference(s) are not in it")
                .contains("type public.mood: labels were removed or reordered");
        List<Path> files = written("partial");
        assertThat(files).hasSize(1);
        String text = Files.readString(files.get(0));
        assertThat(text).contains("-- NOT COMPLETE: pgshift could not write these 1 difference(s)")
                .contains("--   type public.mood: labels were removed or reordered").contains("CREATE TABLE public.also_by_hand (")
                .doesNotContain("-- Proven by replay");
    }

    @Test
    void ddlThatDoesNotRunInTheShadowIsNotKept() throws Exception {
        // Only the schema app is compared, and its new table refers to one in public that the shadow lacks.
        db.write("1_app.sql", "create schema app;\n");
        assertThat(db.pgshift("apply").code()).isZero();
        db.execute("create table public.owners (id int primary key); "
                + "create table app.pets (id int primary key, owner int references public.owners (id))");

        List<String> shadowsBefore = ShadowDatabases.names();

        Cli.Result w = db.pgshift("diff", "--schema", "app", "--write", "pets");

        assertThat(w.code()).as(w.all()).isEqualTo(1);
        assertThat(w.out()).contains("does not run in the shadow database, so it is not kept")
                .contains("relation \"public.owners\" does not exist").contains(".pgshift/diff-write/");
        assertThat(written("pets")).isEmpty();
        try (Stream<Path> drafts = Files.list(db.workDir().resolve(".pgshift/diff-write"))) {
            assertThat(drafts.map(p -> p.getFileName().toString())).singleElement().asString().endsWith("_pets.sql");
        }
        assertThat(db.tableExists("app.pets")).isTrue();
        assertThat(ShadowDatabases.names())
                .as("the shadow is dropped after the failure").isEqualTo(shadowsBefore);
    }

    @Test
    void aNewFileThatWouldNotSortLastIsRefused() throws Exception {
        db.write("9_last.sql", "create table t (id int);\n");
        assertThat(db.pgshift("apply").code()).isZero();
        db.execute("create table by_hand (id int)");

        Cli.Result w = db.pgshift("diff", "--write", "capture");

        assertThat(w.code()).as(w.all()).isEqualTo(2);
        assertThat(w.err()).contains("_capture.sql, as new does, and that sorts before 9_last.sql");
        assertThat(written("capture")).isEmpty();
    }

    @Test
    void aNameWithNoLettersAndJsonAreRefusedBeforeAnyConnection() {
        Cli.Result bad = db.pgshift("diff", "--write", "???");
        assertThat(bad.code()).isEqualTo(2);
        assertThat(bad.err()).contains("has no letters a-z or digits");
        Cli.Result json = db.pgshift("diff", "--json", "--write", "x");
        assertThat(json.code()).isEqualTo(2);
        assertThat(json.err()).contains("leave out --json");
    }
}
