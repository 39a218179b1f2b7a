create table if not exists public.email_bounces (
  id bigint generated always as identity primary key,
  profile_id bigint not null references public.profiles (id) on delete cascade,
  reason text not null check (reason in ('hard', 'soft', 'complaint')),
  bounced_at timestamptz not null default now()
);

create index if not exists email_bounces_profile_id_idx on public.email_bounces (profile_id);

alter table public.profiles add column if not exists bounce_count integer not null default 0;
