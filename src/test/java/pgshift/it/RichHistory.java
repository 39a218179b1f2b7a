package pgshift.it;

import java.sql.Connection;
import java.util.List;
import java.util.Map;

import pgshift.testing.MigrationDb;
import pgshift.testing.TestPostgres;

/** A history with every kind of object diff compares: types, tables, partitions, logic, grants, a second schema. */
final class RichHistory {

    /** The role its grants name (made once per server, as roles are the server's). */
    static final String READER = "pgshift_diff_reader";

    /** Its files, in run order, named with timestamps as new names them (so that a new one runs last). */
    static final List<Map.Entry<String, String>> FILES = List.of(
            Map.entry("20250101000001_types.sql", """
                create type mood as enum ('sad', 'ok', 'happy');
                create domain posint as int not null default 1 check (value > 0);
                create type pair as (a int, b text);
                create type span as range (subtype = float8);
                create extension citext;
                comment on type mood is 'how one feels';
                """),
            Map.entry("20250101000002_tables.sql", """
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
                """),
            Map.entry("20250101000003_logic.sql", """
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
                create publication realtime for table accounts;
                """),
            Map.entry("20250101000004_concurrently.sql", "create index concurrently accounts_created on accounts (created);\n"),
            Map.entry("20250101000005_schema.sql", """
                create schema app;
                create table app.settings (k text primary key, v jsonb default '{}');
                create procedure app.tidy(days int) language sql as $$ delete from app.settings where false $$;
                comment on schema app is 'the app''s own';
                """));

    private RichHistory() {
    }

    static void createRole() throws Exception {
        try (Connection c = TestPostgres.connect(TestPostgres.admin()); var st = c.createStatement()) {
            st.execute("DO $$ BEGIN CREATE ROLE " + READER + "; EXCEPTION WHEN duplicate_object THEN NULL; END $$");
        }
    }

    /** Writes its files into the migrations folder. */
    static void write(MigrationDb db) throws Exception {
        for (Map.Entry<String, String> file : FILES) {
            db.write(file.getKey(), file.getValue());
        }
    }

    /** Runs its files by hand, one by one, as someone who made the same schema without migrations. */
    static void runByHand(MigrationDb db) throws Exception {
        for (Map.Entry<String, String> file : FILES) {
            db.execute(file.getValue());
        }
    }
}
