-- header comment; with a semicolon
create table t1 (id int, "we;ird" text default 'a;b''c', "quo""te" int);
select E'it\'s; fine', 'plain\';
select E'a;'
  'b;';
select E'x' -- comment between continued strings
  'y';
select 'multi
line; string';
/* outer /* inner; */ still; */ select 1;
select a$b from (select 1 as "a$b") x;
prepare p1 as select $1::int;
execute p1(1);
deallocate p1;
;;
-- trailing comment
