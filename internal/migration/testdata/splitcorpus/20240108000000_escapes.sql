select U&'d\0061t\+000061;' as unicode_escape;
select $tag$ a $not$ b; $tag$;
select 1 "end";
select 'end'; select 2;
