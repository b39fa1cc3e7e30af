-- Makes the transition log tamper-evident: each transition carries the sha256 of the previous
-- transition's hash and its own canonical fields, so that a row changed or removed behind the
-- ledger's back breaks the chain from there on (JdbcLedger.verifyChain recomputes it in Java).
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

-- Chains in the inserting transaction. The advisory lock, held until commit, makes the chain
-- linear: a second writer waits, then sees the first one's row (read committed) and takes the
-- next sequence number, so that sequence order, commit order and chain order are one order.
create function rollgate_transitions_chain() returns trigger
language plpgsql as $$
declare
  previous text;
begin
  perform pg_advisory_xact_lock(hashtext('rollgate.transitions.chain'));
  new.seq := nextval(pg_get_serial_sequence('transitions', 'seq'));
  select hash into previous from transitions order by seq desc limit 1;
  new.hash := rollgate_transition_hash(previous, new);
  return new;
end;
$$;

-- Chains the rows already there, oldest first, with the digest their deployment has now (the
-- best there is for rows written before the column existed).
alter table transitions disable trigger transitions_no_update_or_delete;

update transitions t set image_digest = d.image_digest
  from deployments d where d.id = t.deployment_id;

do $$
declare
  r transitions;
  previous text;
begin
  for r in select * from transitions order by seq loop
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
