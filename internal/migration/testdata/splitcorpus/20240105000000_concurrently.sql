-- pg-delta: transaction=false
create index concurrently t1_id on t1 (id);
