-- A Supabase database as hosted projects have it today, applied once as
-- supabase_admin (the bootstrap superuser) to the template database. Each
-- part names its source. Roles are cluster-wide, so everything touching them
-- is idempotent: a persistent cluster may see this again after a crash.

-- Roles (supabase/postgres init-scripts/00000000000000-initial-schema.sql,
-- migrations 10000000000000_demote-postgres.sql and
-- 20230529180330_alter_api_roles_for_inherit.sql; the service admins from
-- init-scripts 00000000000001/2).
do $$
declare
  r text;
begin
  foreach r in array array['postgres', 'anon', 'authenticated', 'service_role', 'authenticator',
                           'supabase_auth_admin', 'supabase_storage_admin'] loop
    if not exists (select from pg_roles where rolname = r) then
      execute format('create role %I', r);
    end if;
  end loop;
end
$$;

-- The owner's password is set from Go.
alter role postgres login nosuperuser createdb createrole replication bypassrls;
alter role anon nologin inherit;
alter role authenticated nologin inherit;
alter role service_role nologin inherit bypassrls;
alter role authenticator login noinherit;
alter role supabase_auth_admin noinherit createrole login;
alter role supabase_storage_admin noinherit createrole login;

-- Reserved roles (supautils.reserved_roles in supabase/postgres
-- ansible/files/postgresql_config/supautils.conf.j2): postgres, though it
-- has CREATEROLE, cannot ALTER or DROP them. PostgreSQL 15 lets CREATEROLE
-- alter any non-superuser role except one with REPLICATION (AlterRole:
-- "must be superuser to alter replication roles"), so the fixture marks
-- them REPLICATION to refuse what supautils refuses. ALTER ROLE ... SET
-- stays allowed, as supautils allows it for anon*, authenticated*,
-- service_role* and authenticator* (the * entries); DROP ROLE fails on their
-- privileges. (rolreplication reads true here, false on Supabase.)
alter role anon replication;
alter role authenticated replication;
alter role service_role replication;
alter role authenticator replication;
alter role supabase_auth_admin replication;
alter role supabase_storage_admin replication;

-- Re-granting only raises a notice, so these are idempotent too.
grant anon, authenticated, service_role to authenticator;
-- Supabase's postgres can SET ROLE to the API roles; tests rely on it. It is
-- not a member of the service admins any more (supabase/postgres migration
-- 20250421084701, as the fidelity review cites it; it reverts
-- 20220609081115_grant-supabase-auth-admin-and-supabase-storage-admin-to-postgres).
grant anon, authenticated, service_role to postgres;
revoke supabase_auth_admin, supabase_storage_admin from postgres;
-- Storage connects as supabase_storage_admin and sets the role of each
-- request's JWT (supabase/storage src/internal/database/postgres/scope.ts),
-- through authenticator since supabase/postgres migration 20231013070755
-- (which also revoked the API roles from it); its search_path is storage
-- (init-scripts/00000000000002-storage-schema.sql).
grant authenticator to supabase_storage_admin;
revoke anon, authenticated, service_role from supabase_storage_admin;
alter role supabase_storage_admin set search_path = storage;

-- Statement timeouts as hosted (the fidelity review): anon 3 s,
-- authenticated and authenticator 8 s (20221028101028_set_authenticator_timeout);
-- the database's 2 minutes is set on each database pgtest creates.
alter role anon set statement_timeout = '3s';
alter role authenticated set statement_timeout = '8s';
alter role authenticator set statement_timeout = '8s';

-- The extensions schema, owned by postgres, with the extensions every
-- project has; unqualified uuid_generate_v4() works through the role's
-- search path, which RESET ALL keeps (a migration's session starts so).
create schema if not exists extensions authorization postgres;
create extension if not exists "uuid-ossp" with schema extensions;
create extension if not exists pgcrypto with schema extensions;
grant usage on schema extensions to postgres, anon, authenticated, service_role;
alter role postgres set search_path = "$user", public, extensions;

-- PG15 no longer lets everyone create in public; the owner gets full rights
-- (cloned databases are also OWNER postgres, i.e. pg_database_owner).
grant usage on schema public to anon, authenticated, service_role;
grant all on schema public to postgres;
-- No default privileges for the API roles on what postgres creates in
-- public: since 2026-10-30 (changelog #45329; new projects since 2026-05-30)
-- a new table is reachable through the Data API only once granted.
-- pgtest's LegacyDefaultGrants template adds the grants of older projects.

-- auth (supabase/postgres init-scripts/00000000000001-auth-schema.sql; the
-- claim helpers of supabase/auth 20240624145325_recreate_auth_functions,
-- each preferring the legacy per-claim setting and falling back to
-- request.jwt.claims).
create schema if not exists auth authorization supabase_auth_admin;

create or replace function auth.uid() returns uuid
language sql stable set search_path = '' as $$
  select coalesce(
    nullif(current_setting('request.jwt.claim.sub', true), ''),
    nullif(nullif(current_setting('request.jwt.claims', true), '')::jsonb ->> 'sub', '')
  )::uuid
$$;

create or replace function auth.role() returns text
language sql stable set search_path = '' as $$
  select coalesce(
    nullif(current_setting('request.jwt.claim.role', true), ''),
    nullif(nullif(current_setting('request.jwt.claims', true), '')::jsonb ->> 'role', '')
  )::text
$$;

create or replace function auth.email() returns text
language sql stable set search_path = '' as $$
  select coalesce(
    nullif(current_setting('request.jwt.claim.email', true), ''),
    nullif(nullif(current_setting('request.jwt.claims', true), '')::jsonb ->> 'email', '')
  )::text
$$;

create or replace function auth.jwt() returns jsonb
language sql stable set search_path = '' as $$
  select coalesce(
    nullif(current_setting('request.jwt.claim', true), ''),
    nullif(current_setting('request.jwt.claims', true), '')
  )::jsonb
$$;

-- The users the Auth service keeps (a subset of its columns).
create table if not exists auth.users (
  instance_id uuid,
  id uuid primary key,
  aud varchar(255),
  role varchar(255),
  email varchar(255),
  encrypted_password varchar(255),
  email_confirmed_at timestamptz,
  last_sign_in_at timestamptz,
  raw_app_meta_data jsonb,
  raw_user_meta_data jsonb,
  is_super_admin boolean,
  created_at timestamptz,
  updated_at timestamptz,
  phone text unique,
  phone_confirmed_at timestamptz,
  is_sso_user boolean not null default false,
  deleted_at timestamptz,
  is_anonymous boolean not null default false
);

do $$
declare
  f text;
begin
  alter table auth.users owner to supabase_auth_admin;
  foreach f in array array['uid()', 'role()', 'email()', 'jwt()'] loop
    execute format('alter function auth.%s owner to supabase_auth_admin', f);
  end loop;
end
$$;
grant usage on schema auth to anon, authenticated, service_role, postgres;
grant execute on function auth.uid(), auth.role(), auth.email(), auth.jwt()
  to anon, authenticated, service_role, postgres;
-- postgres reads and references auth.users (a profiles table's foreign key)
-- without owning it; the API roles do not reach it.
grant all on auth.users to postgres;

-- storage (supabase/storage migrations/tenant: 0002 the tables, 0003
-- path_tokens, 0007 row level security on buckets, 0008 public, 0012
-- avif_autodetection, 0013/0014 file_size_limit and allowed_mime_types,
-- 0016 version, 0018 owner_id, 0025 user_metadata, 0038 type, 0046/0049 the
-- grants, 0055 no direct deletes; the helpers of init-scripts
-- 00000000000002-storage-schema.sql).
create schema if not exists storage authorization supabase_admin;
grant all on schema storage to supabase_storage_admin;
grant usage on schema storage to postgres, anon, authenticated, service_role;

do $$
begin
  if not exists (select from pg_type t join pg_namespace n on n.oid = t.typnamespace
                 where n.nspname = 'storage' and t.typname = 'buckettype') then
    create type storage.buckettype as enum ('STANDARD', 'ANALYTICS', 'VECTOR');
  end if;
end
$$;

create table if not exists storage.buckets (
  id text primary key,
  name text not null unique,
  owner uuid,
  owner_id text,
  created_at timestamptz default now(),
  updated_at timestamptz default now(),
  public boolean default false,
  avif_autodetection boolean default false,
  file_size_limit bigint,
  allowed_mime_types text[],
  type storage.buckettype not null default 'STANDARD'
);

create table if not exists storage.objects (
  id uuid primary key default gen_random_uuid(),
  bucket_id text references storage.buckets (id),
  name text,
  owner uuid,
  owner_id text,
  created_at timestamptz default now(),
  updated_at timestamptz default now(),
  last_accessed_at timestamptz default now(),
  metadata jsonb,
  path_tokens text[] generated always as (string_to_array(name, '/')) stored,
  version text,
  user_metadata jsonb,
  unique (bucket_id, name)
);

alter table storage.buckets enable row level security;
alter table storage.objects enable row level security;

-- The folders of an object's name, its file name and its extension.
create or replace function storage.foldername(name text) returns text[]
language plpgsql immutable as $$
declare
  parts text[] := string_to_array(name, '/');
begin
  return parts[1:array_length(parts, 1) - 1];
end
$$;

create or replace function storage.filename(name text) returns text
language plpgsql immutable as $$
declare
  parts text[] := string_to_array(name, '/');
begin
  return parts[array_length(parts, 1)];
end
$$;

create or replace function storage.extension(name text) returns text
language plpgsql immutable as $$
declare
  parts text[] := string_to_array(name, '/');
begin
  return split_part(parts[array_length(parts, 1)], '.', 2);
end
$$;

-- Rows are deleted through the Storage API, which sets
-- storage.allow_delete_query; a direct DELETE is refused (0055).
create or replace function storage.protect_delete() returns trigger
language plpgsql as $$
begin
  if coalesce(current_setting('storage.allow_delete_query', true), 'false') != 'true' then
    raise exception 'Direct deletion from storage tables is not allowed. Use the Storage API instead.'
      using hint = 'This prevents accidental data loss from orphaned objects.', errcode = '42501';
  end if;
  return null;
end
$$;

drop trigger if exists protect_buckets_delete on storage.buckets;
create trigger protect_buckets_delete before delete on storage.buckets
  for each statement execute function storage.protect_delete();
drop trigger if exists protect_objects_delete on storage.objects;
create trigger protect_objects_delete before delete on storage.objects
  for each statement execute function storage.protect_delete();

do $$
declare
  f text;
begin
  alter table storage.buckets owner to supabase_storage_admin;
  alter table storage.objects owner to supabase_storage_admin;
  foreach f in array array['foldername(text)', 'filename(text)', 'extension(text)', 'protect_delete()'] loop
    execute format('alter function storage.%s owner to supabase_storage_admin', f);
  end loop;
end
$$;
grant all on storage.buckets, storage.objects to postgres with grant option;
grant all on storage.buckets, storage.objects to anon, authenticated, service_role;
grant execute on function storage.foldername(text), storage.filename(text), storage.extension(text)
  to postgres, anon, authenticated, service_role;

-- Realtime's publication (every project has it, empty until tables join).
do $$
begin
  if not exists (select from pg_publication where pubname = 'supabase_realtime') then
    create publication supabase_realtime;
  end if;
end
$$;

-- supautils.policy_grants (supautils.conf.j2) lets postgres CREATE, ALTER,
-- DROP and COMMENT ON POLICY on auth.users and the storage tables, which it
-- does not own: supautils runs those statements as the superuser
-- (supabase/supautils src/supautils.c, T_CreatePolicyStmt and the others).
-- ALTER POLICY ... RENAME is a RenameStmt it does not elevate, and ALTER
-- TABLE is not elevated at all, so both fail for postgres as "must be owner".
-- Without the extension, an event trigger makes postgres a member of the two
-- owners for the length of such a statement only, revoked when it ends (an
-- error rolls the grant back with the statement). Only statements on auth or
-- storage tables are elevated, one at a time (an advisory lock taken before
-- the grant), since concurrent grants of one role deadlock each other.
create schema if not exists supautils_emulation authorization supabase_admin;

create or replace function supautils_emulation.policy_grants() returns event_trigger
language plpgsql security definer set search_path = pg_catalog as $$
declare
  -- the role the statement runs as (SET ROLE included): the function itself
  -- runs as its owner
  caller text := case when current_setting('role') = 'none' then session_user::text else current_setting('role') end;
begin
  if caller <> 'postgres' then
    return;
  end if;
  if tg_event = 'ddl_command_start' then
    if current_query() ~* '\mon\s+"?(auth|storage)"?\s*\.'
       and (tg_tag in ('CREATE POLICY', 'DROP POLICY')
            or (tg_tag = 'ALTER POLICY' and current_query() !~* '\mrename\s+to\M')
            or (tg_tag = 'COMMENT' and current_query() ~* '\mcomment\s+on\s+policy\M')) then
      perform pg_advisory_xact_lock(hashtext('supautils_emulation.policy_grants'));
      grant supabase_auth_admin, supabase_storage_admin to postgres;
      perform set_config('supautils_emulation.elevated', 'on', true);
    end if;
  elsif current_setting('supautils_emulation.elevated', true) = 'on' then
    revoke supabase_auth_admin, supabase_storage_admin from postgres;
    perform set_config('supautils_emulation.elevated', 'off', true);
  end if;
end
$$;

drop event trigger if exists supautils_policy_grants_start;
create event trigger supautils_policy_grants_start on ddl_command_start
  when tag in ('CREATE POLICY', 'ALTER POLICY', 'DROP POLICY', 'COMMENT')
  execute function supautils_emulation.policy_grants();
drop event trigger if exists supautils_policy_grants_end;
create event trigger supautils_policy_grants_end on ddl_command_end
  when tag in ('CREATE POLICY', 'ALTER POLICY', 'DROP POLICY', 'COMMENT')
  execute function supautils_emulation.policy_grants();
