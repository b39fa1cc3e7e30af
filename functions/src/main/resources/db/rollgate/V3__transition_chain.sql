-- Makes the transition log tamper-evident: each transition carries the sha256 of the previous
-- hash of its app and environment and its own canonical fields, so that a row changed or removed
-- behind the ledger's back breaks its chain from there on (JdbcLedger.verifyChain recomputes every
-- chain in Java).
-- Each transition also records the image digest it concerns, so that "known bad" can be read from
-- the chained log rather than from the deployments table, which rollgate itself updates.

alter table transitions add column image_digest text;
alter table transitions add column hash text;

-- The canonical form: every field as <octets>:<value>; (a null as -;), in a fixed order; the time
-- as whole microseconds since the epoch. TransitionChain.java computes the very same bytes.
create function rollgate_transition_hash(previous text, t transitions) returns text
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
      coalesce(octet_length(t.image_digest) || ':' || t.image_digest, '-'), ';'),
    'UTF8')), 'hex')
$$;

-- One chain per app and environment, extended in the inserting transaction. The advisory lock,
-- held until commit, makes each chain linear: a second writer of the same app and environment
-- waits, then sees the first one's row (read committed) and takes the next sequence number, so
-- that within a chain sequence order, commit order and chain order are one order. Writers of other
-- apps and environments do not wait for each other.
create function rollgate_transitions_chain() returns trigger
language plpgsql as $$
declare
  previous text;
begin
  perform pg_advisory_xact_lock(
    hashtext('rollgate.transitions/' || new.app || '/' || new.environment));
  new.seq := nextval(pg_get_serial_sequence('transitions', 'seq'));
  select hash into previous from transitions
    where app = new.app and environment = new.environment
    order by seq desc limit 1;
  new.hash := rollgate_transition_hash(previous, new);
  return new;
end;
$$;

create index transitions_chain on transitions (app, environment, seq);

-- Chains the rows already there, oldest first, with the digest their deployment has now (the
-- best there is for rows written before the column existed).
alter table transitions disable trigger transitions_no_update_or_delete;

update transitions t set image_digest = d.image_digest
  from deployments d where d.id = t.deployment_id;

do $$
declare
  r transitions;
  chain text;
  previous text;
begin
  for r in select * from transitions order by app, environment, seq loop
    if chain is distinct from r.app || '/' || r.environment then
      chain := r.app || '/' || r.environment;
      previous := null;
    end if;
    previous := rollgate_transition_hash(previous, r);
    update transitions set hash = previous where seq = r.seq;
  end loop;
end;
$$;

alter table transitions enable trigger transitions_no_update_or_delete;

create trigger transitions_chain
  before insert on transitions
  for each row execute function rollgate_transitions_chain();

create index transitions_bad_digest on transitions (app, environment, image_digest)
  where to_phase in ('FAILED', 'ERRORED', 'ROLLED_BACK', 'ROLLBACK_FAILED');
