variable "project" {
  description = "The Google Cloud project everything lives in (functions, Cloud SQL, the gcr topic)."
  type        = string
}

variable "region" {
  description = "Region of the functions, the Eventarc trigger, the schedules and Cloud SQL."
  type        = string
  default     = "europe-west1"
}

variable "name_prefix" {
  description = "Prefix of every resource name (functions are <prefix>-<function id>, e.g. rollgate-image-pushed)."
  type        = string
  default     = "rollgate"
}

variable "artifact" {
  description = "Path of the zip built by 'scripts/package gcp' (its last line): every function's source, uploaded as it is."
  type        = string
}

variable "manifest" {
  description = "ROLLGATE_MANIFEST: where the functions read rollgate.yaml, e.g. gs://bucket/rollgate.yaml."
  type        = string
}

variable "manifest_bucket" {
  description = "The Cloud Storage bucket holding the manifest and the Flyway gs: migrations; the functions may read its objects (roles/storage.objectViewer on this bucket only)."
  type        = string
}

variable "backup_bucket" {
  description = "Bucket of the backup store; empty turns backups off. The backup functions get roles/storage.objectUser on this bucket only."
  type        = string
  default     = ""
}

variable "backup_prefix" {
  description = "Prefix of the backups in backup_bucket (ROLLGATE_BACKUP_STORE=gs://<bucket>/<prefix>)."
  type        = string
  default     = "rollgate"
}

variable "cloud_run_services" {
  description = "The Cloud Run services rollgate deploys (the manifest's cloudrun targets), as {name, region}; the deployer gets roles/run.developer on each, nothing more."
  type        = list(object({ name = string, region = string }))
}

variable "cloud_run_jobs" {
  description = "The Cloud Run jobs the manifest's job: migrations run, as {name, region}; the deployer gets roles/run.developer on each."
  type        = list(object({ name = string, region = string }))
  default     = []
}

variable "runtime_service_accounts" {
  description = "Emails of the service accounts those services and jobs run as; the deployer may act as these (roles/iam.serviceAccountUser on each) and no other."
  type        = list(string)
}

variable "secret_ids" {
  description = "Other Secret Manager secrets the manifest refers to (gcp-sm: database URLs, the promotion token, the status page's read token, webhook secrets), as secret ids in this project; each function role gets roles/secretmanager.secretAccessor on these only."
  type        = list(string)
  default     = []
}

variable "create_gcr_topic" {
  description = "Create the 'gcr' Pub/Sub topic Artifact Registry publishes to (false when it exists already)."
  type        = bool
  default     = true
}

variable "reconcile_schedule" {
  description = "Cloud Scheduler cron (UTC) calling reconcile, which advances whatever is in flight."
  type        = string
  default     = "*/5 * * * *"
}

variable "backup_schedule" {
  description = "Cloud Scheduler cron (UTC) calling backup, which takes the backups that are due per rollgate.yaml."
  type        = string
  default     = "0 * * * *"
}

variable "verify_backup_schedule" {
  description = "Cloud Scheduler cron (UTC) calling verifyBackup, which restores the newest backups into scratch databases and checks them."
  type        = string
  default     = "30 3 * * *"
}

variable "memory" {
  description = "Memory of each function (CPU follows it on Cloud Functions 2nd gen; 1Gi gets 0.583 vCPU, 2Gi one)."
  type        = string
  default     = "1Gi"
}

variable "timeout_seconds" {
  description = "Timeout of each function (event functions: at most 540). rollgate's own budget (ROLLGATE_BUDGET, default PT5M) must stay below it; reconcile finishes what a timeout cut short."
  type        = number
  default     = 360
}

variable "max_instances" {
  description = "Most instances of each function; the ledger's leases keep concurrent instances from deploying one environment twice."
  type        = number
  default     = 5
}

variable "vpc_connector" {
  description = "Serverless VPC Access connector (projects/P/locations/R/connectors/NAME) through which the functions reach Cloud SQL's private IP and the apps' databases."
  type        = string
}

variable "network" {
  description = "The VPC network (projects/P/global/networks/NAME) Cloud SQL gets its private IP in (private services access must be set up on it)."
  type        = string
}

variable "ledger_tier" {
  description = "Cloud SQL machine tier of the ledger's PostgreSQL; the ledger is small (a few rows per deployment)."
  type        = string
  default     = "db-f1-micro"
}

variable "ledger_database_version" {
  description = "Cloud SQL PostgreSQL version of the ledger."
  type        = string
  default     = "POSTGRES_16"
}

variable "status_invokers" {
  description = "Principals (user:..., group:..., serviceAccount:...) allowed to call status; empty keeps it private to the project's owners."
  type        = list(string)
  default     = []
}

variable "labels" {
  description = "Labels put on every resource that takes them."
  type        = map(string)
  default     = {}
}
