-- The notification outbox. Deployment events are read from the transition log (written in the
-- same transaction as each transition) past a cursor; the messages a batch of transitions produced
-- are stored in the same transaction that moves the cursor. One row per event and channel; a row is
-- claimed before it is sent and marked once its receiver answered 2xx.
create table notification_cursor (
  id   integer primary key check (id = 1),
  seq  bigint not null
);

-- Start after what is already logged: installing notifications must not replay the ledger's past.
insert into notification_cursor (id, seq) select 1, coalesce(max(seq), 0) from transitions;

create table notification_outbox (
  id            bigserial primary key,
  -- event and channel: the idempotency key every attempt carries
  key           text not null unique,
  channel       text not null,
  event         text not null,
  app           text not null,
  environment   text not null,
  body          text not null,
  created_at    timestamptz not null,
  due_at        timestamptz not null,
  attempts      integer not null default 0,
  claimed_until timestamptz,
  delivered_at  timestamptz,
  gave_up_at    timestamptz,
  last_error    text
);

create index notification_outbox_due on notification_outbox (due_at, id)
  where delivered_at is null and gave_up_at is null;
