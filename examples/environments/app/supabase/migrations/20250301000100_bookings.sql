-- Bookings of a mentor's time slot by a mentee.
create table public.bookings (
  -- uuid-ossp lives in the extensions schema, on the role's search path.
  id uuid primary key default uuid_generate_v4(),
  mentor_id uuid not null references public.users (id),
  mentee_id uuid not null references public.users (id),
  starts_at timestamptz not null,
  ends_at timestamptz not null,
  status text not null default 'confirmed' check (status in ('confirmed', 'cancelled')),
  created_at timestamptz not null default now(),
  constraint bookings_time_order check (ends_at > starts_at)
);

create index bookings_mentor_id_idx on public.bookings (mentor_id);
create index bookings_mentee_id_idx on public.bookings (mentee_id);

alter table public.bookings enable row level security;
