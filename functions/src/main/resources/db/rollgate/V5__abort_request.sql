-- A person's request to stop a deployment (POST /abort): who asked, why and when. Written only by
-- JdbcLedger.requestAbort, in the transaction that also appends the transition naming who asked;
-- a later save of the deployment never clears it. Phases are plain text without a CHECK
-- constraint, so ABORTED needs no change to the schema.
alter table deployments add column abort_requested_by text;
alter table deployments add column abort_reason text;
alter table deployments add column abort_requested_at timestamptz;
