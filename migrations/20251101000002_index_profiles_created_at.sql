-- CREATE INDEX CONCURRENTLY cannot run inside a transaction block: pgshift sees it and runs
-- this file statement by statement, without a transaction, and says so before it starts.
create index concurrently if not exists profiles_created_at_idx
  on public.profiles (created_at desc);
