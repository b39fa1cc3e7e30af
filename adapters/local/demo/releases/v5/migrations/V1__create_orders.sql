create table orders (
  id bigserial primary key,
  customer text not null,
  total_cents bigint not null check (total_cents >= 0),
  created_at timestamptz not null default now()
);
