-- CF Office Hours: people who book or give office hours.
create type public.user_role as enum ('mentor', 'mentee');

create table public.users (
  id uuid primary key default gen_random_uuid(),
  email text not null unique,
  display_name text not null default '',
  role public.user_role not null,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);

comment on table public.users is 'People using CF Office Hours; id matches auth.uid()';
