-- Users of the platform: mentors and mentees, keyed by their auth user id.
create table public.users (
  id uuid primary key,
  email text not null unique,
  name text not null,
  role text not null check (role in ('mentor', 'mentee', 'admin')),
  created_at timestamptz not null default now()
);

alter table public.users enable row level security;
