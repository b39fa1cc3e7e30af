# One Cloud Function (2nd gen) per rollgate function, all from the same jar; the function is chosen
# by SPRING_CLOUD_FUNCTION_DEFINITION. The entry point is rollgate's own (one class for HTTP and
# CloudEvents; Spring Cloud Function's function model, no Spring Boot start). Names, entry point,
# runtime, variables and schedules are checked against dev.rollgate.gcp.functions.RollgateFunction
# by InfraTerraformTest.

locals {
  # key: the function's name in the code; id: its Cloud Functions name (lower case); role: the
  # service account it runs as (iam.tf); trigger: event (Eventarc) or http.
  functions = {
    imagePushed  = { id = "image-pushed", role = "deployer", trigger = "event", description = "Artifact Registry pushes (gcr topic via Eventarc): record and deploy" }
    webhook      = { id = "webhook", role = "deployer", trigger = "http", description = "Registry webhooks, sender checked per rollgate.yaml" }
    promote      = { id = "promote", role = "deployer", trigger = "http", description = "Manual promotion (bearer token)" }
    abort        = { id = "abort", role = "deployer", trigger = "http", description = "Stops a deployment in flight (bearer token)" }
    plan         = { id = "plan", role = "deployer", trigger = "http", description = "What an event would do, changing nothing (bearer token)" }
    reconcile    = { id = "reconcile", role = "deployer", trigger = "http", description = "Advances everything in flight (Cloud Scheduler)" }
    status       = { id = "status", role = "reader", trigger = "http", description = "What serves where" }
    backup       = { id = "backup", role = "backup", trigger = "http", description = "Backups that are due (Cloud Scheduler)" }
    verifyBackup = { id = "verify-backup", role = "backup", trigger = "http", description = "Restore checks that are due (Cloud Scheduler)" }
  }
  backup_store = var.backup_bucket == "" ? "" : "gs://${var.backup_bucket}/${var.backup_prefix}"
}

# The source: the zip 'scripts/package gcp' prints (the one jar of every function inside), as
# Cloud Functions' Java runtime deploys a prebuilt jar.
resource "google_storage_bucket" "source" {
  project                     = var.project
  name                        = "${var.project}-${var.name_prefix}-source"
  location                    = var.region
  uniform_bucket_level_access = true
  labels                      = var.labels
}

resource "google_storage_bucket_object" "artifact" {
  name   = "rollgate-${filemd5(var.artifact)}.zip"
  bucket = google_storage_bucket.source.name
  source = var.artifact
}

resource "google_cloudfunctions2_function" "rollgate" {
  for_each    = local.functions
  project     = var.project
  location    = var.region
  name        = "${var.name_prefix}-${each.value.id}"
  description = each.value.description
  labels      = var.labels

  build_config {
    runtime     = "java17"
    entry_point = "dev.rollgate.gcp.functions.RollgateFunction"
    source {
      storage_source {
        bucket = google_storage_bucket.source.name
        object = google_storage_bucket_object.artifact.name
      }
    }
  }

  service_config {
    available_memory      = var.memory
    timeout_seconds       = var.timeout_seconds
    max_instance_count    = var.max_instances
    min_instance_count    = 0
    service_account_email = google_service_account.rollgate[each.value.role].email
    vpc_connector         = var.vpc_connector
    # Cloud SQL and the apps' databases are reached on private IPs; everything else goes out as is.
    vpc_connector_egress_settings = "PRIVATE_RANGES_ONLY"
    ingress_settings              = "ALLOW_ALL"
    environment_variables = {
      SPRING_CLOUD_FUNCTION_DEFINITION = each.key
      ROLLGATE_MANIFEST                = var.manifest
      ROLLGATE_LEDGER_URL              = "gcp-sm:${google_secret_manager_secret.ledger_url.id}"
      ROLLGATE_BACKUP_STORE            = local.backup_store
      GOOGLE_CLOUD_PROJECT             = var.project
      JAVA_TOOL_OPTIONS                = "-XX:+TieredCompilation -XX:TieredStopAtLevel=1"
    }
  }

  # imagePushed: Artifact Registry's notifications on the gcr topic, delivered by Eventarc as
  # google.cloud.pubsub.topic.v1.messagePublished CloudEvents. rollgate acknowledges duplicates
  # and refusals (malformed, no digest) and throws only on failures that may pass, which Eventarc
  # redelivers with backoff; the ledger keeps a redelivery from deploying twice.
  dynamic "event_trigger" {
    for_each = each.value.trigger == "event" ? [1] : []
    content {
      trigger_region        = var.region
      event_type            = "google.cloud.pubsub.topic.v1.messagePublished"
      pubsub_topic          = local.gcr_topic
      retry_policy          = "RETRY_POLICY_RETRY"
      service_account_email = google_service_account.rollgate["trigger"].email
    }
  }
}

locals {
  gcr_topic = "projects/${var.project}/topics/gcr"
}

# Artifact Registry publishes to a topic named gcr in the registry's project, when it exists.
resource "google_pubsub_topic" "gcr" {
  count   = var.create_gcr_topic ? 1 : 0
  project = var.project
  name    = "gcr"
  labels  = var.labels
}

# Who may call what. webhook, promote, abort and plan check their callers themselves (sender
# signatures per rollgate.yaml, the promotion token), so they are public; status is for
# status_invokers; the
# scheduled functions for the scheduler's account; imagePushed for the Eventarc trigger's.
resource "google_cloud_run_service_iam_member" "public" {
  for_each = toset(["webhook", "promote", "abort", "plan"])
  project  = var.project
  location = var.region
  service  = google_cloudfunctions2_function.rollgate[each.key].name
  role     = "roles/run.invoker"
  member   = "allUsers"
}

resource "google_cloud_run_service_iam_member" "status" {
  for_each = toset(var.status_invokers)
  project  = var.project
  location = var.region
  service  = google_cloudfunctions2_function.rollgate["status"].name
  role     = "roles/run.invoker"
  member   = each.value
}

resource "google_cloud_run_service_iam_member" "trigger" {
  project  = var.project
  location = var.region
  service  = google_cloudfunctions2_function.rollgate["imagePushed"].name
  role     = "roles/run.invoker"
  member   = "serviceAccount:${google_service_account.rollgate["trigger"].email}"
}
