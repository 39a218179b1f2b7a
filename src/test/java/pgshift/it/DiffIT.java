package pgshift.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import pgshift.testing.Cli;
import pgshift.testing.MigrationDb;
import pgshift.testing.TestPostgres;

/** diff: the applied migrations replayed into a shadow database, compared object by object with the database. */
class DiffIT {

    @RegisterExtension
    final MigrationDb db = new MigrationDb();

    static final String READER = "pgshift_diff_reader";

    @BeforeAll
    static void aRoleToGrantTo() throws Exception {
        try (Connection c = TestPostgres.connect(TestPostgres.admin()); var st = c.createStatement()) {
            st.execute("DO $$ BEGIN CREATE ROLE " + READER + "; EXCEPTION WHEN duplicate_object THEN NULL; END $$");
        }
    }

    /** A history with every kind of object diff compares, applied by pgshift. */
    private void richHistoryApplied() throws Exception {
        db.write("1_types.sql", """
                create type mood as enum ('sad', 'ok', 'happy');
                create domain posint as int not null default 1 check (value > 0);
                create type pair as (a int, b text);
                create type span as range (subtype = float8);
                create extension citext;
                comment on type mood is 'how one feels';
                """);
        db.write("2_tables.sql", """
                create table accounts (
                  id bigint generated always as identity (start with 100) primary key,
                  email text not null unique,
                  mood mood default 'ok',
                  n posint,
                  twice int generated always as (n * 2) stored,
                  created timestamptz default now(),
                  note text collate "C",
                  nick citext,
                  extra int
                );
                alter table accounts drop column extra;
                comment on table accounts is 'people';
                comment on column accounts.email is 'their login';
                create table events (id serial, at date not null, account_id bigint references accounts (id) on delete cascade)
                  partition by range (at);
                create table events_2026 partition of events for values from ('2026-01-01') to ('2027-01-01');
                create index on events (at);
                create unlogged table scratch (x int check (x > 0));
                create sequence tickets start 5 increment 5;
                """);
        db.write("3_logic.sql", """
                create function touch() returns trigger language plpgsql as $$
                begin
                  new.created := now();
                  return new;
                end $$;
                create trigger accounts_touch before update on accounts for each row execute function touch();
                create view active with (security_invoker = true) as select id, email from accounts where mood <> 'sad';
                create materialized view counts as select count(*) as n from accounts;
                alter table accounts enable row level security;
                create policy own on accounts for select to public using (email = current_user);
                grant select, insert on accounts to pgshift_diff_reader;
                grant usage on schema public to pgshift_diff_reader;
                grant update (note) on accounts to pgshift_diff_reader;
                revoke execute on function touch() from public;
                """);
        db.write("4_concurrently.sql", "create index concurrently accounts_created on accounts (created);\n");
        db.write("5_schema.sql", """
                create schema app;
                create table app.settings (k text primary key, v jsonb default '{}');
                create procedure app.tidy(days int) language sql as $$ delete from app.settings where false $$;
                comment on schema app is 'the app''s own';
                """);
        Cli.Result applied = db.pgshift("apply");
        assertThat(applied.code()).as(applied.all()).isZero();
    }

    private List<String> shadowDatabases() throws Exception {
        List<String> names = new ArrayList<>();
        try (Connection c = TestPostgres.connect(TestPostgres.admin()); var st = c.createStatement();
             var rs = st.executeQuery("SELECT datname FROM pg_database WHERE datname LIKE 'pgshift\\_shadow\\_%'")) {
            while (rs.next()) {
                names.add(rs.getString(1));
            }
        }
        return names;
    }

    @Test
    void aHistoryAppliedByPgshiftShowsNoDifferenceAndItsShadowIsDropped() throws Exception {
        richHistoryApplied();
        List<String> before = shadowDatabases();

        Cli.Result r = db.pgshift("diff", "--check");

        assertThat(r.code()).as(r.all()).isZero();
        assertThat(r.err()).startsWith("Building the shadow database: 0/5 migrations... (pgshift_shadow_");
        assertThat(r.out()).contains("No differences: " + db.url().masked() + " has the schema its 5 applied migration(s) make");
        assertThat(shadowDatabases()).isEqualTo(before);
        Cli.Result json = db.pgshift("diff", "--json");
        assertThat(json.out()).isEqualTo("{\"database\":\"" + db.url().masked() + "\",\"differences\":[]}\n");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            create table handmade (id int primary key, name text default 'x'); comment on table handmade is 'by hand' | table      | handmade              | only in database
            alter table accounts drop column note                                                    | column     | accounts.note         | only in migrations
            alter table accounts alter column created set default '2026-01-01'                       | column     | accounts.created      | differs
            create or replace function touch() returns trigger language plpgsql as $$ begin return new; end $$ | function | touch() | differs
            create policy extra on accounts for insert with check (true)                             | policy     | accounts.extra        | only in database
            drop index accounts_created                                                              | index      | accounts_created      | only in migrations
            revoke select, insert on accounts from pgshift_diff_reader                               | grant      | table accounts to pgshift_diff_reader | only in migrations
            revoke insert on accounts from pgshift_diff_reader                                       | grant      | table accounts to pgshift_diff_reader | differs
            create extension hstore                                                                  | extension  | hstore                | only in database
            comment on column accounts.nick is 'what friends say'                                    | comment    | column accounts.nick  | only in database
            """)
    void aPlantedDriftIsFoundExactlyAndNothingElse(String drift, String kind, String name, String change) throws Exception {
        richHistoryApplied();
        db.execute(drift);

        Cli.Result r = db.pgshift("diff", "--json");

        assertThat(r.code()).as(r.all()).isZero();
        assertThat(r.out()).isEqualTo("{\"database\":\"" + db.url().masked() + "\",\"differences\":[\n"
                + "{\"kind\":\"" + kind + "\",\"schema\":\"public\",\"name\":\"" + name + "\",\"change\":\"" + change + "\"}\n"
                + "]}\n");
        Cli.Result check = db.pgshift("diff", "--check");
        assertThat(check.code()).as(check.all()).isEqualTo(1);
        assertThat(check.out()).contains("public." + name).contains(change)
                .contains("1 difference(s) between " + db.url().masked() + " and what its 5 applied migration(s) make");
    }

    @Test
    void aChangedDefinitionIsShownAsALineDiff() throws Exception {
        richHistoryApplied();
        db.execute("create or replace function touch() returns trigger language plpgsql as $$\nbegin\n  return new;\nend $$");

        Cli.Result r = db.pgshift("diff");

        assertThat(r.out()).contains("function public.touch() (- as the migrations make it, + as it is in the database):")
                .contains("-   new.created := now();").doesNotContain("+   new.created");
    }

    @Test
    void columnOrderAndGeneratedConstraintNamesAreNoDrift() throws Exception {
        db.write("1_orders.sql", "create table orders (id int primary key, total numeric check (total >= 0), note text);\n");
        assertThat(db.pgshift("apply").code()).isZero();
        // The same table made by hand with its columns in another order: the same schema.
        db.execute("drop table orders; create table orders (note text, total numeric check (total >= 0), id int primary key)");

        Cli.Result r = db.pgshift("diff", "--check");

        assertThat(r.code()).as(r.all()).isZero();
        assertThat(r.out()).contains("No differences");
    }
}
