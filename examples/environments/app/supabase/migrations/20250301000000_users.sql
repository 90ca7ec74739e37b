-- Users of the platform: mentors and mentees, one profile per Supabase Auth
-- user (auth.users belongs to the Auth service; the profile goes with it).
create table public.users (
  id uuid primary key references auth.users (id) on delete cascade,
  email text not null unique,
  name text not null,
  role text not null check (role in ('mentor', 'mentee', 'admin')),
  created_at timestamptz not null default now()
);

alter table public.users enable row level security;

-- No API role reaches a new table until it is granted (Supabase since
-- 2026-10-30): the environment's officehours_table_grant resources do that.
