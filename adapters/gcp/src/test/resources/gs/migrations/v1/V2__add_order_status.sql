alter table orders add column status text not null default 'new';
