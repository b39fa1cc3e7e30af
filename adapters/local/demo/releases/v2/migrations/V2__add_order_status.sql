-- Expand only: a nullable column with a default, so v1 keeps working against this schema.
alter table orders add column status text not null default 'placed';
