-- The least a running rollgate needs on its ledger. Run it in the ledger's database, as the role
-- that owns the ledger's tables (the one its migrations ran as), after the migrations, and again
-- after an upgrade that adds tables. It grants to the role "rollgate", which must exist and must
-- not own the tables (README, "The ledger's roles"). The embedded default runs this very file on
-- every start.
--
-- What "rollgate" cannot do: change or remove a transition (no UPDATE, DELETE, TRUNCATE on
-- transitions), alter a table or its triggers (it owns none), create anything.

revoke all on received_events, deployments, transitions, backups, backup_verifications,
  notification_cursor, notification_outbox, rollgate_schema_history from rollgate;
revoke all on sequence deployments_seq_seq, transitions_seq_seq, backup_verifications_seq_seq,
  notification_outbox_id_seq from rollgate;

grant select, insert on received_events to rollgate;
grant select, insert, update on deployments to rollgate;
grant select, insert on transitions to rollgate;
grant select, insert, update on backups to rollgate;
grant select, insert on backup_verifications to rollgate;
-- Notifications (V7): the cursor moves, outbox rows are claimed and marked, never removed.
grant select, update on notification_cursor to rollgate;
grant select, insert, update on notification_outbox to rollgate;
-- To tell whether the schema is current (the AWS adapter's cold start reads it).
grant select on rollgate_schema_history to rollgate;
grant usage on sequence deployments_seq_seq, transitions_seq_seq, backup_verifications_seq_seq,
  notification_outbox_id_seq to rollgate;

do $$
begin
  execute format('revoke create on schema %I from rollgate', current_schema());
  execute format('grant usage on schema %I to rollgate', current_schema());
end;
$$;
