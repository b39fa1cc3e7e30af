-- The rollgate ledger: deployments, the append-only transition log and received-event keys.
-- Applied by JdbcLedger with its own history table (rollgate_schema_history), so that it can
-- live in the same database as an application's own Flyway migrations.

create table received_events (
  key         text primary key,
  source      text not null,
  received_at timestamptz not null
);

create table deployments (
  id                text primary key,
  -- arrival order: breaks ties between equal push times
  seq               bigserial not null unique,
  app               text not null,
  environment       text not null,
  image_registry    text,
  image_repository  text not null,
  image_tag         text,
  image_digest      text,
  phase             text not null,
  version           bigint not null,
  pushed_at         timestamptz not null,
  created_at        timestamptz not null,
  updated_at        timestamptz not null,
  trigger_key       text,
  requested_by      text,
  override          boolean not null default false,
  promoted_from     text,
  active            boolean not null default false,
  previous_revision text,
  revision          text,
  service_url       text,
  schema_version    text,
  verify_started_at timestamptz,
  successes         integer not null default 0,
  failures          integer not null default 0,
  restored_at       timestamptz,
  detail            text,
  lease_owner       text,
  lease_until       timestamptz
);

-- The single active slot per app and environment is the database's promise, not the code's.
create unique index deployments_one_active on deployments (app, environment) where active;
create index deployments_newest on deployments (app, environment, pushed_at desc, seq desc);
create index deployments_pending on deployments (app, environment) where phase = 'PENDING';
create index deployments_digest on deployments (app, environment, image_digest);

create table transitions (
  seq           bigserial primary key,
  deployment_id text not null references deployments (id),
  app           text not null,
  environment   text not null,
  from_phase    text,
  to_phase      text not null,
  at            timestamptz not null,
  actor         text,
  reason        text
);

create index transitions_deployment on transitions (deployment_id, seq);

create function rollgate_transitions_append_only() returns trigger
language plpgsql as $$
begin
  raise exception 'transitions is an append-only audit log: % refused', tg_op
    using hint = 'record a new transition instead of changing or removing one';
end;
$$;

create trigger transitions_no_update_or_delete
  before update or delete on transitions
  for each row execute function rollgate_transitions_append_only();

create trigger transitions_no_truncate
  before truncate on transitions
  for each statement execute function rollgate_transitions_append_only();
