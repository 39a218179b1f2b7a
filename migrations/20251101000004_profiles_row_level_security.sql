alter table public.profiles enable row level security;

-- On Supabase you would compare with auth.uid(); a plain PostgreSQL has no auth schema, so this
-- example reads the caller's e-mail from a setting the application sets per request.
create policy "profiles are readable by their owner"
  on public.profiles
  for select
  using (email = current_setting('app.current_email', true));

create policy "profiles are editable by their owner"
  on public.profiles
  for update
  using (email = current_setting('app.current_email', true))
  with check (email = current_setting('app.current_email', true));
