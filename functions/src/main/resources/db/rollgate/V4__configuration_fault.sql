-- A deployment that ended because of rollgate's configuration (the manifest, a secret it names)
-- says so: such an outcome is ERRORED but never makes the digest known-bad. The flag is kept on the
-- deployment and on each of its transitions, where it is part of the chained hash (only when set,
-- so that the rows chained before this migration hash as they did): isKnownBad reads the chained
-- log, and rewriting a row to turn a release's own failure into a configuration fault breaks the
-- chain.
alter table deployments add column configuration_fault boolean not null default false;
alter table transitions add column configuration_fault boolean not null default false;

create or replace function rollgate_transition_hash(previous text, t transitions) returns text
language sql stable as $$
  select encode(sha256(decode(coalesce(previous, ''), 'hex') || convert_to(
    concat(
      t.seq::text, ';',
      coalesce(octet_length(t.deployment_id) || ':' || t.deployment_id, '-'), ';',
      coalesce(octet_length(t.app) || ':' || t.app, '-'), ';',
      coalesce(octet_length(t.environment) || ':' || t.environment, '-'), ';',
      coalesce(octet_length(t.from_phase) || ':' || t.from_phase, '-'), ';',
      coalesce(octet_length(t.to_phase) || ':' || t.to_phase, '-'), ';',
      (extract(epoch from date_trunc('second', t.at))::bigint * 1000000
        + extract(microseconds from t.at)::bigint % 1000000)::text, ';',
      coalesce(octet_length(t.actor) || ':' || t.actor, '-'), ';',
      coalesce(octet_length(t.reason) || ':' || t.reason, '-'), ';',
      coalesce(octet_length(t.image_digest) || ':' || t.image_digest, '-'), ';',
      case when t.configuration_fault then 'configuration-fault;' else '' end),
    'UTF8')), 'hex')
$$;
