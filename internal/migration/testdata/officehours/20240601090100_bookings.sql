create table public.bookings (
  id bigint generated always as identity primary key,
  mentor_id uuid not null references public.users (id) on delete cascade,
  mentee_id uuid not null references public.users (id) on delete cascade,
  starts_at timestamptz not null,
  ends_at timestamptz not null,
  topic text not null default '',
  status text not null default 'booked' check (status in ('booked', 'cancelled', 'done')),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  constraint bookings_time_order check (ends_at > starts_at),
  constraint bookings_distinct_people check (mentor_id <> mentee_id)
);

create index bookings_mentor_starts_idx on public.bookings (mentor_id, starts_at);
create index bookings_mentee_starts_idx on public.bookings (mentee_id, starts_at);
