alter table public.users enable row level security;
alter table public.bookings enable row level security;

create policy "Users can view themselves" on public.users
  for select to authenticated using (id = (select auth.uid()));

create policy "Users can view own bookings" on public.bookings
  for select to authenticated
  using (mentor_id = (select auth.uid()) or mentee_id = (select auth.uid()));

create policy "Mentees can create bookings" on public.bookings
  for insert to authenticated
  with check (
    mentee_id = (select auth.uid())
    and exists (select 1 from public.users u where u.id = (select auth.uid()) and u.role = 'mentee')
  );

/* A booking can be cancelled by either side; "status" is the only
   column they may change (see the column grant below). */
create policy "People can cancel own bookings" on public.bookings
  for update to authenticated
  using (mentor_id = (select auth.uid()) or mentee_id = (select auth.uid()));

grant select, insert on public.bookings to authenticated;
grant update (status) on public.bookings to authenticated;
grant select on public.users to authenticated;
