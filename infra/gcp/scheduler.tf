# Schedules: reconcile, backup, verifyBackup, each an HTTP call to its function with an empty JSON
# object (the functions then do whatever is due), authenticated with the scheduler's OIDC token.

locals {
  schedules = {
    reconcile    = var.reconcile_schedule
    backup       = var.backup_schedule
    verifyBackup = var.verify_backup_schedule
  }
}

resource "google_cloud_scheduler_job" "rollgate" {
  for_each         = local.schedules
  project          = var.project
  region           = var.region
  name             = "${var.name_prefix}-${local.functions[each.key].id}"
  description      = "Calls rollgate's ${each.key}"
  schedule         = each.value
  time_zone        = "Etc/UTC"
  attempt_deadline = "${var.timeout_seconds + 30}s"

  retry_config {
    retry_count = 1
  }

  http_target {
    http_method = "POST"
    uri         = google_cloudfunctions2_function.rollgate[each.key].service_config[0].uri
    body        = base64encode("{}")
    headers = {
      "Content-Type" = "application/json"
    }
    oidc_token {
      service_account_email = google_service_account.rollgate["scheduler"].email
      audience              = google_cloudfunctions2_function.rollgate[each.key].service_config[0].uri
    }
  }
}

resource "google_cloud_run_service_iam_member" "scheduler" {
  for_each = local.schedules
  project  = var.project
  location = var.region
  service  = google_cloudfunctions2_function.rollgate[each.key].name
  role     = "roles/run.invoker"
  member   = "serviceAccount:${google_service_account.rollgate["scheduler"].email}"
}
