-- A release of several services (services: in rollgate.yaml) is one deployment with its parts, in
-- release order: per service its image (pinned by digest), its state in the release, the revision
-- that served before, the revision the release rolled out, its URL and what was last said about it.
-- Written with the deployment's row by every save of a release (PartsColumn.java), so that a part
-- and its deployment never disagree; null for an environment of one service, whose saves never
-- name the column (JdbcLedger reads it through the row's JSON).
alter table deployments add column parts jsonb;

comment on column deployments.parts is
  'services released in order: [{service, image: {registry, repository, tag, digest}, state,'
  ' previousRevision, revision, serviceUrl, detail}]; null for one service';
