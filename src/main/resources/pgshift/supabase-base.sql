-- The Supabase base: what a Supabase project's migrations expect to find in a fresh database
-- (roles, the extensions, auth and storage schemas, the realtime publication), written for
-- pgshift from Supabase's documentation. pgshift runs it, in one transaction, only on databases
-- it created itself (its embedded default in a Supabase layout); never on a DATABASE_URL target.
-- Every statement is safe to run again: a second run changes nothing.

-- anon: the role PostgREST uses for requests without a signed-in user (the "anon" API key).
DO $base$ BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'anon') THEN
    CREATE ROLE anon NOLOGIN NOINHERIT;
  END IF;
END $base$;

-- authenticated: the role of requests by a signed-in user; the target of "TO authenticated" policies.
DO $base$ BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'authenticated') THEN
    CREATE ROLE authenticated NOLOGIN NOINHERIT;
  END IF;
END $base$;

-- service_role: the server-side key's role, which row-level security does not apply to.
DO $base$ BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'service_role') THEN
    CREATE ROLE service_role NOLOGIN NOINHERIT BYPASSRLS;
  END IF;
END $base$;

-- authenticator: the login PostgREST connects as, switching to one of the three roles per request.
DO $base$ BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'authenticator') THEN
    CREATE ROLE authenticator LOGIN NOINHERIT;
  END IF;
END $base$;
GRANT anon, authenticated, service_role TO authenticator;

-- supabase_admin: the administrator role Supabase's own services and migrations run as.
DO $base$ BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'supabase_admin') THEN
    CREATE ROLE supabase_admin LOGIN SUPERUSER CREATEDB CREATEROLE REPLICATION BYPASSRLS;
  END IF;
END $base$;

-- public: usable by the API roles, and the tables, sequences and functions the migrations create
-- (as the role running them) granted to them, as a Supabase project's public schema is; row-level
-- security policies then decide what each role sees.
GRANT USAGE ON SCHEMA public TO anon, authenticated, service_role;
ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT ALL ON TABLES TO anon, authenticated, service_role;
ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT ALL ON SEQUENCES TO anon, authenticated, service_role;
ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT ALL ON FUNCTIONS TO anon, authenticated, service_role;

-- extensions: the schema Supabase installs extensions into, kept out of public.
CREATE SCHEMA IF NOT EXISTS extensions;
GRANT USAGE ON SCHEMA extensions TO anon, authenticated, service_role;

-- uuid-ossp: uuid_generate_v4() and friends, which older migrations use for uuid keys.
CREATE EXTENSION IF NOT EXISTS "uuid-ossp" WITH SCHEMA extensions;

-- pgcrypto: crypt(), gen_salt() (seed files hash auth.users passwords with them), gen_random_bytes().
CREATE EXTENSION IF NOT EXISTS pgcrypto WITH SCHEMA extensions;

-- The database's search_path includes extensions, so their functions work unqualified, as on
-- Supabase (new sessions only: pgshift opens its next connection after this).
DO $base$ BEGIN
  EXECUTE format('ALTER DATABASE %I SET search_path = "$user", public, extensions', current_database());
END $base$;

-- auth: the schema of Supabase Auth (GoTrue), which owns the users.
CREATE SCHEMA IF NOT EXISTS auth;
GRANT USAGE ON SCHEMA auth TO anon, authenticated, service_role;

-- auth.users: one row per user, with GoTrue's columns, so foreign keys to auth.users(id) and seed
-- files that insert users (instance_id, id, aud, role, email, encrypted_password, ...) work.
CREATE TABLE IF NOT EXISTS auth.users (
  instance_id uuid,
  id uuid NOT NULL PRIMARY KEY,
  aud varchar(255),
  role varchar(255),
  email varchar(255),
  encrypted_password varchar(255),
  email_confirmed_at timestamptz,
  invited_at timestamptz,
  confirmation_token varchar(255),
  confirmation_sent_at timestamptz,
  recovery_token varchar(255),
  recovery_sent_at timestamptz,
  email_change_token_new varchar(255),
  email_change varchar(255),
  email_change_sent_at timestamptz,
  last_sign_in_at timestamptz,
  raw_app_meta_data jsonb,
  raw_user_meta_data jsonb,
  is_super_admin boolean,
  created_at timestamptz,
  updated_at timestamptz,
  phone text UNIQUE DEFAULT NULL,
  phone_confirmed_at timestamptz,
  phone_change text DEFAULT '',
  phone_change_token varchar(255) DEFAULT '',
  phone_change_sent_at timestamptz,
  confirmed_at timestamptz GENERATED ALWAYS AS (least(email_confirmed_at, phone_confirmed_at)) STORED,
  email_change_token_current varchar(255) DEFAULT '',
  email_change_confirm_status smallint DEFAULT 0 CHECK (email_change_confirm_status BETWEEN 0 AND 2),
  banned_until timestamptz,
  reauthentication_token varchar(255) DEFAULT '',
  reauthentication_sent_at timestamptz,
  is_sso_user boolean NOT NULL DEFAULT false,
  deleted_at timestamptz,
  is_anonymous boolean NOT NULL DEFAULT false
);

-- auth.jwt(): the request's JWT claims as jsonb. PostgREST puts them in the setting
-- request.jwt.claims (older versions: request.jwt.claim); empty or unset outside a request.
CREATE OR REPLACE FUNCTION auth.jwt() RETURNS jsonb LANGUAGE sql STABLE AS $fn$
  SELECT coalesce(nullif(current_setting('request.jwt.claim', true), ''),
                  nullif(current_setting('request.jwt.claims', true), ''))::jsonb
$fn$;

-- auth.uid(): the signed-in user's id, the claim "sub" (older PostgREST: request.jwt.claim.sub).
CREATE OR REPLACE FUNCTION auth.uid() RETURNS uuid LANGUAGE sql STABLE AS $fn$
  SELECT coalesce(nullif(current_setting('request.jwt.claim.sub', true), ''),
                  nullif(current_setting('request.jwt.claims', true), '')::jsonb ->> 'sub')::uuid
$fn$;

-- auth.role(): the request's role claim ("anon", "authenticated", "service_role").
CREATE OR REPLACE FUNCTION auth.role() RETURNS text LANGUAGE sql STABLE AS $fn$
  SELECT coalesce(nullif(current_setting('request.jwt.claim.role', true), ''),
                  nullif(current_setting('request.jwt.claims', true), '')::jsonb ->> 'role')
$fn$;

-- auth.email(): the signed-in user's email claim.
CREATE OR REPLACE FUNCTION auth.email() RETURNS text LANGUAGE sql STABLE AS $fn$
  SELECT coalesce(nullif(current_setting('request.jwt.claim.email', true), ''),
                  nullif(current_setting('request.jwt.claims', true), '')::jsonb ->> 'email')
$fn$;

-- storage: the schema of Supabase Storage; migrations add buckets and policies on its objects.
CREATE SCHEMA IF NOT EXISTS storage;
GRANT USAGE ON SCHEMA storage TO anon, authenticated, service_role;

-- storage.buckets: one row per bucket; "insert into storage.buckets (id, name, public)" makes one.
CREATE TABLE IF NOT EXISTS storage.buckets (
  id text NOT NULL PRIMARY KEY,
  name text NOT NULL,
  owner uuid,
  owner_id text,
  created_at timestamptz DEFAULT now(),
  updated_at timestamptz DEFAULT now(),
  public boolean DEFAULT false,
  avif_autodetection boolean DEFAULT false,
  file_size_limit bigint,
  allowed_mime_types text[]
);
CREATE UNIQUE INDEX IF NOT EXISTS bname ON storage.buckets (name);

-- storage.objects: one row per stored file; row-level security is on, as on Supabase, so the
-- project's policies on it decide who may read and write.
CREATE TABLE IF NOT EXISTS storage.objects (
  id uuid NOT NULL DEFAULT gen_random_uuid() PRIMARY KEY,
  bucket_id text REFERENCES storage.buckets (id),
  name text,
  owner uuid,
  owner_id text,
  created_at timestamptz DEFAULT now(),
  updated_at timestamptz DEFAULT now(),
  last_accessed_at timestamptz DEFAULT now(),
  metadata jsonb,
  path_tokens text[] GENERATED ALWAYS AS (string_to_array(name, '/')) STORED,
  version text,
  user_metadata jsonb
);
CREATE UNIQUE INDEX IF NOT EXISTS bucketid_objname ON storage.objects (bucket_id, name);
ALTER TABLE storage.buckets ENABLE ROW LEVEL SECURITY;
ALTER TABLE storage.objects ENABLE ROW LEVEL SECURITY;
GRANT ALL ON storage.buckets, storage.objects TO anon, authenticated, service_role;

-- storage.foldername(name): the folders of an object's path, 'a/b/c.png' -> {a,b}; policies
-- compare (storage.foldername(name))[1] with auth.uid()::text.
CREATE OR REPLACE FUNCTION storage.foldername(name text) RETURNS text[] LANGUAGE sql IMMUTABLE AS $fn$
  SELECT parts[1:cardinality(parts) - 1] FROM string_to_array(name, '/') AS parts
$fn$;

-- storage.filename(name): the last part of an object's path, 'a/b/c.png' -> 'c.png'.
CREATE OR REPLACE FUNCTION storage.filename(name text) RETURNS text LANGUAGE sql IMMUTABLE AS $fn$
  SELECT parts[cardinality(parts)] FROM string_to_array(name, '/') AS parts
$fn$;

-- storage.extension(name): the file name's extension, 'a/b/c.tar.gz' -> 'gz'; '' without a dot.
CREATE OR REPLACE FUNCTION storage.extension(name text) RETURNS text LANGUAGE sql IMMUTABLE AS $fn$
  SELECT CASE WHEN file LIKE '%.%' THEN regexp_replace(file, '^.*\.', '') ELSE '' END
  FROM (SELECT storage.filename(name) AS file) AS f
$fn$;

-- supabase_realtime: the publication Supabase Realtime streams; migrations add their tables to
-- it ("alter publication supabase_realtime add table ...").
DO $base$ BEGIN
  IF NOT EXISTS (SELECT FROM pg_publication WHERE pubname = 'supabase_realtime') THEN
    CREATE PUBLICATION supabase_realtime;
  END IF;
END $base$;
