package pgshift.testing;

import java.util.List;

/**
 * Named drift cases for DDL generators (diff --write): each is a migration history and the SQL
 * someone ran by hand on the database after it. A generator passes a case when the history plus
 * the DDL it wrote make a schema equal to the history plus the drift. Plain data, so every
 * generator's round-trip test iterates the same cases.
 */
public final class DriftCases {

    /** A migration file as it would sit in the migrations folder. */
    public record File(String name, String sql) {
    }

    /**
     * One case.
     *
     * @param setup   run on the server before anything else, on every database of the case; safe to run
     *                again and beside other tests (roles are the server's, not one database's)
     * @param history the migration files, in order, applied to the database and to every shadow
     * @param drift   run by hand on the database after the history
     */
    public record Case(String name, String setup, List<File> history, String drift) {

        @Override
        public String toString() {
            return name;
        }
    }

    /** Roles the cases grant to; created only when missing, so parallel tests on one server do not collide. */
    public static final String ROLES = """
            DO $$ BEGIN CREATE ROLE drift_reader NOLOGIN; EXCEPTION WHEN duplicate_object THEN NULL; END $$;
            DO $$ BEGIN CREATE ROLE drift_writer NOLOGIN; EXCEPTION WHEN duplicate_object THEN NULL; END $$;
            """;

    /** The history most cases drift from: tables with a FK, an enum, functions, a view, RLS, a policy, grants. */
    public static final List<File> SHOP = List.of(
            new File("20250101000000_shop.sql", """
                    create type public.order_status as enum ('new', 'paid');

                    create table public.customers (
                      id bigint generated always as identity primary key,
                      email text not null unique,
                      name text,
                      created_at timestamptz not null default now()
                    );

                    create table public.orders (
                      id bigserial primary key,
                      customer_id bigint not null references public.customers (id) on delete cascade,
                      status public.order_status not null default 'new',
                      total numeric(12,2) not null default 0,
                      note text
                    );
                    create index orders_customer_idx on public.orders (customer_id);
                    create index orders_status_idx on public.orders (status);
                    comment on table public.orders is 'What customers bought';
                    """),
            new File("20250102000000_logic.sql", """
                    create function public.order_total(p_customer bigint) returns numeric
                      language sql stable
                      as $$ select coalesce(sum(total), 0) from public.orders where customer_id = p_customer $$;

                    create function public.touch_note() returns trigger language plpgsql as $$
                    begin
                      new.note := coalesce(new.note, '');
                      return new;
                    end
                    $$;

                    create view public.customer_totals as
                      select c.id, c.email, public.order_total(c.id) as total from public.customers c;

                    alter table public.orders enable row level security;
                    create policy orders_read on public.orders for select to drift_reader using (true);
                    grant select on public.customers, public.orders, public.customer_totals to drift_reader;
                    """));

    /** Everything a hand-made database may hold, for a baseline written from nothing. */
    static final String BASELINE = """
            create schema app;
            comment on schema app is 'The application''s own objects';

            create type app.mood as enum ('sad', 'ok', 'happy');
            create domain app.email as text check (value ~ '^[^@]+@[^@]+$');
            create domain app.positive as integer not null default 1 check (value > 0);

            create sequence app.ticket_seq start 100 increment 5;

            create table app.accounts (
              id bigint generated always as identity (start with 1000) primary key,
              email app.email not null unique,
              mood app.mood not null default 'ok',
              credits app.positive,
              credits_twice integer generated always as (credits * 2) stored,
              ticket integer not null default nextval('app.ticket_seq'),
              updated_at timestamptz not null default now()
            );
            alter sequence app.ticket_seq owned by app.accounts.ticket;
            comment on table app.accounts is 'People who sign in';
            comment on column app.accounts.email is 'Their login';

            create table app.notes (
              id serial primary key,
              account_id bigint not null references app.accounts (id) on delete cascade,
              body text not null check (length(body) > 0),
              created_at timestamptz not null default now()
            );
            create index notes_account_created_idx on app.notes (account_id, created_at desc);

            create table app.events (
              id bigint generated by default as identity,
              happened_on date not null,
              account_id bigint references app.accounts (id),
              payload jsonb not null default '{}',
              primary key (id, happened_on)
            ) partition by range (happened_on);
            create table app.events_2025 partition of app.events for values from ('2025-01-01') to ('2026-01-01');
            create table app.events_2026 partition of app.events for values from ('2026-01-01') to ('2027-01-01');
            create index events_account_idx on app.events (account_id);

            create function app.touch() returns trigger language plpgsql as $$
            begin
              new.updated_at := now();
              return new;
            end
            $$;
            comment on function app.touch() is 'Keeps updated_at current';

            create function app.note_count(p_account bigint) returns bigint
              language sql stable
              as $$ select count(*) from app.notes where account_id = p_account $$;

            create trigger accounts_touch before update on app.accounts
              for each row execute function app.touch();

            create view app.account_summary as
              select a.id, a.email, a.mood, app.note_count(a.id) as notes from app.accounts a;

            alter table app.notes enable row level security;
            create policy notes_owner on app.notes for all to drift_writer
              using (account_id = current_setting('app.account_id')::bigint)
              with check (account_id = current_setting('app.account_id')::bigint);
            create policy notes_read on app.notes for select to drift_reader using (true);

            grant usage on schema app to drift_reader, drift_writer;
            grant select on app.accounts, app.notes, app.account_summary to drift_reader;
            grant select, insert, update, delete on app.notes to drift_writer;
            grant usage on sequence app.notes_id_seq to drift_writer;
            grant execute on function app.note_count(bigint) to drift_reader;
            revoke execute on function app.touch() from public;
            """;

    public static final List<Case> ALL = List.of(
            shop("table created by hand", """
                    create table public.invoices (
                      id bigint primary key,
                      order_id bigint not null references public.orders (id),
                      amount numeric(12,2) not null,
                      issued_on date not null default current_date
                    );
                    create index invoices_order_idx on public.invoices (order_id);
                    comment on table public.invoices is 'Invoices issued by hand';
                    grant select, insert on public.invoices to drift_writer;
                    """),
            shop("column dropped", "alter table public.customers drop column name;"),
            shop("default changed", "alter table public.orders alter column status set default 'paid';"),
            shop("function body changed", """
                    create or replace function public.order_total(p_customer bigint) returns numeric
                      language sql stable
                      as $$ select coalesce(sum(total), 0) from public.orders
                            where customer_id = p_customer and status = 'paid' $$;
                    """),
            shop("policy added", """
                    create policy orders_write on public.orders for insert to drift_writer with check (total >= 0);
                    """),
            shop("index dropped", "drop index public.orders_status_idx;"),
            shop("grant revoked", "revoke select on public.customers from drift_reader;"),
            shop("column added not null with default",
                    "alter table public.customers add column tier text not null default 'basic';"),
            shop("view changed", """
                    create or replace view public.customer_totals as
                      select c.id, c.email, public.order_total(c.id) as total, c.created_at
                      from public.customers c where c.email like '%@%';
                    """),
            shop("enum value added", "alter type public.order_status add value 'refunded';"),
            shop("trigger added", """
                    create trigger orders_touch before insert or update on public.orders
                      for each row execute function public.touch_note();
                    """),
            shop("check constraint added",
                    "alter table public.orders add constraint orders_total_positive check (total >= 0);"),
            new Case("baseline of a rich schema", ROLES, List.of(), BASELINE),
            // Beyond the list: where generators are known to go wrong (dependencies, privileges, renames).
            shop("column renamed", "alter table public.customers rename column name to full_name;"),
            shop("column type changed under a view", """
                    drop view public.customer_totals;
                    alter table public.customers alter column email type varchar(320);
                    create view public.customer_totals as
                      select c.id, c.email, public.order_total(c.id) as total from public.customers c;
                    grant select on public.customer_totals to drift_reader;
                    """),
            shop("function argument renamed under a view", """
                    drop view public.customer_totals;
                    drop function public.order_total(bigint);
                    create function public.order_total(customer bigint) returns numeric
                      language sql stable
                      as $$ select coalesce(sum(total), 0) from public.orders where customer_id = customer $$;
                    create view public.customer_totals as
                      select c.id, c.email, public.order_total(c.id) as total from public.customers c;
                    grant select on public.customer_totals to drift_reader;
                    """),
            shop("function overload added", """
                    create function public.order_total(p_customer bigint, p_status public.order_status) returns numeric
                      language sql stable
                      as $$ select coalesce(sum(total), 0) from public.orders
                            where customer_id = p_customer and status = p_status $$;
                    """),
            shop("column privilege granted", "grant update (note) on public.orders to drift_writer;"),
            shop("view made security invoker", "alter view public.customer_totals set (security_invoker = true);"),
            shop("policy changed", "alter policy orders_read on public.orders using (status = 'paid');"),
            shop("row level security forced", "alter table public.orders force row level security;"),
            shop("extension added and used", """
                    create extension citext with schema public;
                    alter table public.customers add column handle public.citext;
                    """),
            shop("materialized view added", """
                    create materialized view public.paid_totals as
                      select customer_id, sum(total) as total from public.orders where status = 'paid' group by customer_id;
                    create unique index paid_totals_customer_idx on public.paid_totals (customer_id);
                    """),
            shop("table renamed", "alter table public.orders rename to purchases;"),
            shop("trigger added disabled", """
                    create trigger orders_touch before insert or update on public.orders
                      for each row execute function public.touch_note();
                    alter table public.orders disable trigger orders_touch;
                    """),
            shop("enum value renamed", "alter type public.order_status rename value 'paid' to 'settled';"),
            shop("enum value removed", """
                    alter table public.orders alter column status drop default;
                    alter type public.order_status rename to order_status_old;
                    create type public.order_status as enum ('new');
                    alter table public.orders alter column status type public.order_status using status::text::public.order_status;
                    drop type public.order_status_old;
                    alter table public.orders alter column status set default 'new';
                    """),
            shop("storage options and an unlogged table", """
                    alter table public.orders set (fillfactor = 70);
                    create unlogged table public.scratch (k text primary key, v jsonb);
                    """),
            shop("comments on a constraint, an index and a policy", """
                    comment on constraint orders_customer_id_fkey on public.orders is 'Who bought it';
                    comment on index public.orders_status_idx is 'For the status filter';
                    comment on policy orders_read on public.orders is 'Readers see every order';
                    """),
            shop("function made security definer", """
                    alter function public.order_total(bigint) security definer set search_path = '';
                    """),
            shop("procedure, aggregate, composite and range types added", """
                    create procedure public.settle_orders(p_customer bigint) language sql
                      as $$ update public.orders set status = 'paid' where customer_id = p_customer $$;
                    create aggregate public.total_sum(numeric) (sfunc = numeric_add, stype = numeric, initcond = '0');
                    create type public.money_pair as (amount numeric, currency text);
                    create type public.float_range as range (subtype = float8);
                    """),
            shop("deferrable foreign key and a not valid check", """
                    alter table public.orders drop constraint orders_customer_id_fkey,
                      add constraint orders_customer_id_fkey foreign key (customer_id) references public.customers (id)
                      on delete cascade deferrable initially deferred;
                    alter table public.customers add constraint customers_email_lower check (email = lower(email)) not valid;
                    """),
            shop("collation and identity options changed", """
                    alter table public.customers alter column name type text collate "C";
                    alter table public.customers alter column id set increment by 10;
                    """),
            shop("column type changed to a domain", """
                    create domain public.amount as numeric(12,2) check (value >= 0);
                    alter table public.orders alter column total type public.amount;
                    """),
            shop("partial unique index added", """
                    create unique index orders_one_new_per_customer on public.orders (customer_id) where status = 'new';
                    """),
            shop("function with a sql-standard body", """
                    create function public.order_count(p_customer bigint) returns bigint language sql stable
                    begin atomic
                      select count(*) from public.orders where customer_id = p_customer;
                    end;
                    """),
            shop("unique constraint with nulls not distinct",
                    "alter table public.customers add constraint customers_name_key unique nulls not distinct (name);"));

    private static Case shop(String name, String drift) {
        return new Case(name, ROLES, SHOP, drift);
    }

    private DriftCases() {
    }
}
