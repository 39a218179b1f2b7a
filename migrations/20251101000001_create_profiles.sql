-- Profiles: one row per person using the app.
create table if not exists public.profiles (
  id bigint generated always as identity primary key,
  email text not null unique,
  display_name text,
  created_at timestamptz not null default now()
);

comment on table public.profiles is 'People using the app; one row each.';
