-- Expand only: a new column with a default, so v1 keeps working against this schema.
alter table orders add column status text not null default 'placed';

-- Demo data, so that backups and restore tests have rows to carry.
insert into orders (customer, total_cents, status)
select 'customer-' || n, (n * 137) % 100000, case when n % 10 = 0 then 'shipped' else 'placed' end
from generate_series(1, 2000) as n;
