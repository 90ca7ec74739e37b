create function f1() returns int language plpgsql as $fn$
begin
  perform $$;$$;
  return 1;
end;
$fn$;
create function f2() returns text language sql as $$ select 'x;y' $$;
do $do$ begin raise notice 'done;'; end $do$;
create function add1(a int, b int) returns int language sql
begin atomic
  select a + b;
end;
create procedure p1() language sql begin atomic select case when true then 1 end; end;
CREATE FUNCTION upper_atomic() RETURNS int LANGUAGE sql BEGIN ATOMIC SELECT 1; SELECT 2; END;
create function atomic_comment() returns int language sql
begin atomic
  -- a comment; inside
  select 3; /* and; another */
end
;
select ((1));
