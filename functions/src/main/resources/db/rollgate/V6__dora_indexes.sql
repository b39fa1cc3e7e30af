-- DORA figures (JdbcLedger.dora, DoraQuery.java) read only the window they are asked about:
-- the outcomes of one app and environment by time, and the first receipt of a digest by an app.

create index transitions_outcomes on transitions (app, environment, at)
  where to_phase in ('SUCCEEDED', 'FAILED', 'ERRORED', 'ROLLED_BACK', 'ROLLBACK_FAILED');

create index deployments_received on deployments (app, image_digest, created_at);
