-- A canary release's progress (core/model CanaryProgress): its state, step and share, the new
-- revision's own URL and what the analysis of the current step has seen (probes, unhealthy probes,
-- their latencies in milliseconds, comma-separated). All null for a release without a canary. A
-- save that changes the state, the step or the share logs a transition even when the phase stays
-- VERIFYING, so that each step's start and result are in the chained log.
alter table deployments add column canary_state text;
alter table deployments add column canary_step integer;
alter table deployments add column canary_steps integer;
alter table deployments add column canary_share integer;
alter table deployments add column canary_url text;
alter table deployments add column canary_step_started_at timestamptz;
alter table deployments add column canary_probes integer;
alter table deployments add column canary_unhealthy integer;
alter table deployments add column canary_latencies text;
