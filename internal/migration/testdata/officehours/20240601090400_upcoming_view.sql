create function public.booking_minutes(b public.bookings) returns integer
language sql stable
begin atomic
  select (extract(epoch from (b.ends_at - b.starts_at)) / 60)::integer;
end;

create view public.upcoming_bookings with (security_invoker = true) as
  select b.*, public.booking_minutes(b) as minutes
  from public.bookings b
  where b.status = 'booked' and b.starts_at > now();

comment on view public.upcoming_bookings is E'Bookings still to come;\nminutes is computed.';
