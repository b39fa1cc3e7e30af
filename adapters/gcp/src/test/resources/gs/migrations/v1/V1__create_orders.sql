create table orders (
  id bigint primary key,
  total_cents bigint not null
);
