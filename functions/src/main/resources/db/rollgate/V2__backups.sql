-- Backups and their restore tests. A backup is recorded only once it is complete in its store;
-- retention marks it deleted rather than removing the row, so that its verifications stay.

create table backups (
  app            text not null,
  environment    text not null,
  id             text not null,
  kind           text not null,
  taken_at       timestamptz not null,
  took_ms        bigint not null,
  schema_version text,
  tables         integer not null,
  row_count      bigint not null,
  bytes          bigint not null,
  fingerprint    text,
  location       text,
  recorded_at    timestamptz not null default now(),
  deleted_at     timestamptz,
  primary key (app, environment, id)
);

create index backups_newest on backups (app, environment, taken_at desc, id desc)
  where deleted_at is null;

create table backup_verifications (
  seq                    bigserial primary key,
  app                    text not null,
  environment            text not null,
  backup_id              text not null,
  started_at             timestamptz not null,
  duration_ms            bigint not null,
  passed                 boolean not null,
  reason                 text,
  newest_verified_age_ms bigint,
  foreign key (app, environment, backup_id) references backups (app, environment, id)
);

create index backup_verifications_latest
  on backup_verifications (app, environment, backup_id, started_at desc, seq desc);
create index backup_verifications_env
  on backup_verifications (app, environment, started_at desc, seq desc);
