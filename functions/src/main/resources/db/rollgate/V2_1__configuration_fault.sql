-- A deployment that ended because of rollgate's configuration (the manifest, a secret it names)
-- says so: such an outcome is ERRORED but never makes the digest known-bad (isKnownBad skips it).
-- Numbered 2.1 so that it orders after the backup tables and before any later migration.
alter table deployments add column configuration_fault boolean not null default false;
