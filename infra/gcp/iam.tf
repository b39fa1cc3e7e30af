# A service account per role, each with only what its functions do:
#   deployer  imagePushed, webhook, promote, reconcile: roles/run.developer on the named Cloud Run
#             services and jobs, actAs only on their runtime service accounts, reading operations
#   reader    status: the ledger and the manifest
#   backup    backup, verifyBackup: objects in the backup bucket
#   scheduler Cloud Scheduler's caller of reconcile, backup and verifyBackup (run.invoker on those)
#   trigger   Eventarc's caller of imagePushed (run.invoker on it, eventarc.eventReceiver)
# Every function role reads the ledger's secret, the named secrets and the manifest bucket.

locals {
  roles = {
    deployer  = "rollgate imagePushed, webhook, promote, reconcile"
    reader    = "rollgate status"
    backup    = "rollgate backup, verifyBackup"
    scheduler = "Cloud Scheduler calling rollgate"
    trigger   = "Eventarc calling rollgate imagePushed"
  }
  function_roles = ["deployer", "reader", "backup"]
  deployer       = "serviceAccount:${google_service_account.rollgate["deployer"].email}"
}

resource "google_service_account" "rollgate" {
  for_each     = local.roles
  project      = var.project
  account_id   = "${var.name_prefix}-${each.key}"
  display_name = each.value
}

resource "google_cloud_run_v2_service_iam_member" "deployer" {
  for_each = { for s in var.cloud_run_services : join("/", [s.region, s.name]) => s }
  project  = var.project
  location = each.value.region
  name     = each.value.name
  role     = "roles/run.developer"
  member   = local.deployer
}

resource "google_cloud_run_v2_job_iam_member" "deployer" {
  for_each = { for j in var.cloud_run_jobs : join("/", [j.region, j.name]) => j }
  project  = var.project
  location = each.value.region
  name     = each.value.name
  role     = "roles/run.developer"
  member   = local.deployer
}

# actAs: a new revision or job template runs as its service account, which the deployer must be
# allowed to use; only these accounts.
resource "google_service_account_iam_member" "act_as" {
  for_each           = toset(var.runtime_service_accounts)
  service_account_id = "projects/${var.project}/serviceAccounts/${each.value}"
  role               = "roles/iam.serviceAccountUser"
  member             = local.deployer
}

# Cloud Run's long-running operations are project resources: reading them is all this grants.
resource "google_project_iam_custom_role" "operations" {
  project     = var.project
  role_id     = "${replace(var.name_prefix, "-", "_")}_run_operations"
  title       = "rollgate: read Cloud Run operations"
  permissions = ["run.operations.get"]
}

resource "google_project_iam_member" "operations" {
  project = var.project
  role    = google_project_iam_custom_role.operations.id
  member  = local.deployer
}

resource "google_secret_manager_secret_iam_member" "ledger" {
  for_each  = toset(local.function_roles)
  project   = var.project
  secret_id = google_secret_manager_secret.ledger_url.secret_id
  role      = "roles/secretmanager.secretAccessor"
  member    = "serviceAccount:${google_service_account.rollgate[each.key].email}"
}

resource "google_secret_manager_secret_iam_member" "named" {
  for_each  = { for p in setproduct(local.function_roles, var.secret_ids) : join("/", p) => p }
  project   = var.project
  secret_id = each.value[1]
  role      = "roles/secretmanager.secretAccessor"
  member    = "serviceAccount:${google_service_account.rollgate[each.value[0]].email}"
}

resource "google_storage_bucket_iam_member" "manifest" {
  for_each = toset(local.function_roles)
  bucket   = var.manifest_bucket
  role     = "roles/storage.objectViewer"
  member   = "serviceAccount:${google_service_account.rollgate[each.key].email}"
}

resource "google_storage_bucket_iam_member" "backup" {
  count  = var.backup_bucket == "" ? 0 : 1
  bucket = var.backup_bucket
  role   = "roles/storage.objectUser"
  member = "serviceAccount:${google_service_account.rollgate["backup"].email}"
}

resource "google_project_iam_member" "trigger" {
  project = var.project
  role    = "roles/eventarc.eventReceiver"
  member  = "serviceAccount:${google_service_account.rollgate["trigger"].email}"
}
