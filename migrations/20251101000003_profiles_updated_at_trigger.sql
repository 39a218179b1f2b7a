alter table public.profiles
  add column if not exists updated_at timestamptz not null default now();

-- A plpgsql function with a dollar-quoted body: the semicolons inside do not end the statement.
create or replace function public.touch_updated_at()
returns trigger
language plpgsql
as $$
begin
  new.updated_at := now();
  return new;
end;
$$;

create trigger profiles_touch_updated_at
  before update on public.profiles
  for each row execute function public.touch_updated_at();
