-- When the commit an image was built from was made, as the event that asked for the deployment
-- said (rollgate's plain push format's commitTime; no registry event carries it): DORA's lead time
-- from the commit (DoraQuery), read for a deployment's digest through deployments_received.
alter table deployments add column committed_at timestamptz;
