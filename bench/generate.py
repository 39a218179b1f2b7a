#!/usr/bin/env python3
"""Writes migration files for the pgshift benchmark (standard library only, deterministic).

  generate.py files N OUTDIR        N migrations 000001_<name>.sql ... that apply in order on a bare
                                    PostgreSQL: tables with indexes and comments, added columns,
                                    plpgsql functions with $$ bodies and triggers, row-level
                                    security policies and a few seed INSERTs.
  generate.py big OUTDIR            one file: a CREATE TABLE and 200,000 single-row INSERTs (~45 MB).
  generate.py psql-driver DIR       prints a psql script that applies every migration of DIR in one
                                    session, each file in its own transaction with one ledger row.
"""
import os
import random
import sys

WORDS = ("account invoice order payment shipment product review ticket message device session "
         "project task comment upload report alert webhook coupon refund subscription team member "
         "address contact note tag event audit quota plan region").split()
ADJECTIVES = ("quick lazy bright silent ancient modern rusty golden tiny vast gentle bold humble "
              "curious sturdy fragile noisy calm eager weary").split()


def table_name(group):
    return f"{WORDS[group % len(WORDS)]}s_{group:05d}"


def create_table(t, rng):
    extra = rng.choice(["amount numeric(12,2) not null default 0", "priority smallint not null default 3",
                        "payload jsonb not null default '{}'::jsonb", "tags text[] not null default '{}'"])
    return f"""-- {t}: one row per {t.split('_')[0][:-1]}, owned by a user of the app.
create table public.{t} (
  id bigint generated always as identity primary key,
  owner text not null,
  title text not null check (length(title) between 1 and 200),
  status text not null default 'new' check (status in ('new', 'active', 'archived')),
  {extra},
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);

create index {t}_owner_idx on public.{t} (owner);
create index {t}_created_at_idx on public.{t} (created_at desc) where status <> 'archived';

comment on table public.{t} is 'Rows of {t}; see the product spec, section "{t}".';
comment on column public.{t}.status is 'Lifecycle: new -> active -> archived; never deleted.';
"""


def add_columns(t, rng):
    col = f"{rng.choice(ADJECTIVES)}_{rng.choice(WORDS)}"
    return f"""/* Track who last touched a row, and a free-form {col} column. */
alter table public.{t}
  add column updated_by text,
  add column {col} text;

alter table public.{t} alter column title set default '';
create index {t}_{col}_idx on public.{t} (lower({col}));
comment on column public.{t}.{col} is 'Free text; may contain semicolons; and ''quotes''.';
"""


def trigger(t, rng):
    return f"""-- Keep updated_at and updated_by current on every update of {t}.
create or replace function public.{t}_touch()
returns trigger
language plpgsql
as $$
declare
  who text := coalesce(current_setting('app.user', true), current_user);
begin
  new.updated_at := now();
  new.updated_by := who;
  if new.title = '' then
    raise exception 'title of %: must not be empty; got %', tg_table_name, quote_literal(new.title);
  end if;
  return new;
end;
$$;

create trigger {t}_touch
  before update on public.{t}
  for each row execute function public.{t}_touch();

create or replace function public.{t}_count(p_owner text)
returns bigint
language sql stable
as $fn$ select count(*) from public.{t} where owner = p_owner; $fn$;
"""


def policies(t, rng):
    return f"""alter table public.{t} enable row level security;

create policy "{t} readable by owner"
  on public.{t}
  for select
  using (owner = current_setting('app.user', true));

create policy "{t} writable by owner"
  on public.{t}
  for update
  using (owner = current_setting('app.user', true))
  with check (owner = current_setting('app.user', true) and status <> 'archived');
"""


def seed(t, rng):
    rows = []
    for _ in range(rng.randint(3, 8)):
        title = f"{rng.choice(ADJECTIVES).title()} {rng.choice(WORDS)}; {rng.choice(ADJECTIVES)} {rng.choice(WORDS)}"
        owner = f"user{rng.randint(1, 999)}@example.com"
        rows.append(f"insert into public.{t} (owner, title, status) values ('{owner}', '{title}', "
                    f"'{rng.choice(['new', 'active', 'archived'])}');")
    return "-- Seed data for local development.\n" + "\n".join(rows) + "\n"


# Each table goes through these five migrations, one file each, in this order.
KINDS = (("table", create_table), ("columns", add_columns), ("trigger", trigger),
         ("policies", policies), ("seed", seed))


def write_files(n, outdir):
    os.makedirs(outdir, exist_ok=True)
    rng = random.Random(20251122)
    width = max(6, len(str(n)))
    for i in range(n):
        group, kind = divmod(i, len(KINDS))
        t = table_name(group)
        label, make = KINDS[kind]
        name = f"{i + 1:0{width}d}_{label}_{t}.sql"
        with open(os.path.join(outdir, name), "w", encoding="utf-8") as f:
            f.write(make(t, rng))


def write_big(outdir, rows=200_000):
    os.makedirs(outdir, exist_ok=True)
    rng = random.Random(42)
    path = os.path.join(outdir, "000001_seed_catalog.sql")
    with open(path, "w", encoding="utf-8") as f:
        f.write("create table public.catalog (\n  id bigint primary key,\n  sku text not null,\n"
                "  title text not null,\n  description text not null,\n  price numeric(10,2) not null,\n"
                "  created_at timestamptz not null\n);\n\n")
        for i in range(1, rows + 1):
            words = [rng.choice(WORDS + ADJECTIVES) for _ in range(rng.randint(6, 14))]
            if i % 97 == 0:
                words.append("O''Brien''s; edition")
            title = f"{rng.choice(ADJECTIVES).title()} {rng.choice(WORDS)} {i}"
            f.write(f"INSERT INTO public.catalog (id, sku, title, description, price, created_at) VALUES "
                    f"({i}, 'SKU-{rng.randrange(16**8):08x}', '{title}', '{' '.join(words)}', "
                    f"{rng.randint(100, 99999) / 100:.2f}, '2025-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d} "
                    f"{rng.randint(0, 23):02d}:{rng.randint(0, 59):02d}:00+00');\n")


def psql_driver(folder):
    """One session; per file: BEGIN; \\i file; one ledger row (statements = the whole file); COMMIT."""
    out = ["\\set ON_ERROR_STOP 1", "\\set QUIET 1",
           "CREATE SCHEMA IF NOT EXISTS supabase_migrations;",
           "CREATE TABLE IF NOT EXISTS supabase_migrations.schema_migrations "
           "(version text NOT NULL PRIMARY KEY, statements text[], name text);"]
    for name in sorted(n for n in os.listdir(folder) if n.endswith(".sql")):
        version, rest = name.split("_", 1)
        path = os.path.join(os.path.abspath(folder), name)
        with open(path, encoding="utf-8") as f:
            body = f.read()
        out += ["BEGIN;", f"\\i '{path}'",
                f"INSERT INTO supabase_migrations.schema_migrations(version, name, statements) "
                f"VALUES ('{version}', '{rest[:-4]}', ARRAY[$ledger${body}$ledger$]);", "COMMIT;"]
    sys.stdout.write("\n".join(out) + "\n")


def main(argv):
    if len(argv) == 4 and argv[1] == "files":
        write_files(int(argv[2]), argv[3])
    elif len(argv) == 3 and argv[1] == "big":
        write_big(argv[2])
    elif len(argv) == 3 and argv[1] == "psql-driver":
        psql_driver(argv[2])
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main(sys.argv)
