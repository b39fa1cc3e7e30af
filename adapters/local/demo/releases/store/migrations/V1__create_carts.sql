-- The store's one migration, run once per release before api and web roll out.
create table if not exists carts (id bigserial primary key, created_at timestamptz not null default now());
