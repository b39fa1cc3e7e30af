-- Expand only: the schema is never rolled back, so every release must work with the next schema.
alter table orders add column notes text;
