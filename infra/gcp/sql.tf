# The ledger: Cloud SQL for PostgreSQL on a private IP, reached through the VPC connector. Its JDBC
# URL (password included) is a Secret Manager secret the functions read on their first invocation
# (ROLLGATE_LEDGER_URL=gcp-sm:projects/P/secrets/NAME), never an environment variable's value.
# The generated password is in Terraform's state: keep the state private (a GCS backend with
# access control).

resource "google_sql_database_instance" "ledger" {
  project             = var.project
  name                = "${var.name_prefix}-ledger"
  region              = var.region
  database_version    = var.ledger_database_version
  deletion_protection = true

  settings {
    tier              = var.ledger_tier
    availability_type = "ZONAL"
    user_labels       = var.labels
    ip_configuration {
      ipv4_enabled    = false
      private_network = var.network
    }
    backup_configuration {
      enabled                        = true
      point_in_time_recovery_enabled = true
    }
  }
}

resource "google_sql_database" "ledger" {
  project  = var.project
  name     = "rollgate"
  instance = google_sql_database_instance.ledger.name
}

resource "random_password" "ledger" {
  length  = 32
  special = false
}

resource "google_sql_user" "ledger" {
  project  = var.project
  name     = "rollgate"
  instance = google_sql_database_instance.ledger.name
  password = random_password.ledger.result
}

resource "google_secret_manager_secret" "ledger_url" {
  project   = var.project
  secret_id = "${var.name_prefix}-ledger-url"
  labels    = var.labels
  replication {
    auto {}
  }
}

resource "google_secret_manager_secret_version" "ledger_url" {
  secret      = google_secret_manager_secret.ledger_url.id
  secret_data = "jdbc:postgresql://${google_sql_database_instance.ledger.private_ip_address}:5432/${google_sql_database.ledger.name}?user=${google_sql_user.ledger.name}&password=${random_password.ledger.result}"
}
