-- Supabase-like fixture, applied once as supabase_admin to the template
-- database. Roles are cluster-wide, so everything touching them must be
-- idempotent: a persistent cluster may see this again after a crash mid-apply.

do $$
begin
  if not exists (select from pg_roles where rolname = 'postgres') then
    create role postgres;
  end if;
  if not exists (select from pg_roles where rolname = 'anon') then
    create role anon;
  end if;
  if not exists (select from pg_roles where rolname = 'authenticated') then
    create role authenticated;
  end if;
  if not exists (select from pg_roles where rolname = 'service_role') then
    create role service_role;
  end if;
  if not exists (select from pg_roles where rolname = 'authenticator') then
    create role authenticator;
  end if;
end
$$;

-- ALTER after the existence checks so attributes are right even for roles
-- created by an older fixture. The owner's password is set from Go.
alter role postgres login nosuperuser createdb createrole replication bypassrls;
alter role anon nologin;
alter role authenticated nologin;
alter role service_role nologin bypassrls;
alter role authenticator login noinherit;

-- Re-granting only raises a notice, so these are idempotent too.
grant anon, authenticated, service_role to authenticator;
-- Supabase's postgres can SET ROLE to the API roles; tests rely on it.
grant anon, authenticated, service_role to postgres;

create schema if not exists auth;

-- Each claim helper prefers the legacy per-claim setting (older PostgREST)
-- and falls back to the request.jwt.claims JSON (PostgREST >= 9).
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

grant usage on schema auth to anon, authenticated, service_role, postgres;
grant execute on function auth.uid(), auth.role(), auth.email(), auth.jwt()
  to anon, authenticated, service_role, postgres;

-- PG15 no longer lets everyone create in public; give the owner full rights
-- (cloned databases are also OWNER postgres, i.e. pg_database_owner).
grant usage on schema public to anon, authenticated, service_role;
grant all on schema public to postgres;

alter default privileges for role postgres in schema public
  grant all on tables to anon, authenticated, service_role;
alter default privileges for role postgres in schema public
  grant all on sequences to anon, authenticated, service_role;
alter default privileges for role postgres in schema public
  grant all on functions to anon, authenticated, service_role;
