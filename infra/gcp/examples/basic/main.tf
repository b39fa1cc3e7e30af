# rollgate for one app ("shop") with staging and production services on Cloud Run.
#   scripts/package gcp                      # prints the zip's path
#   gcloud storage cp rollgate.yaml gs://shop-deploy/rollgate.yaml
#   cp terraform.tfvars.example terraform.tfvars   # then edit
#   terraform init && terraform apply -var artifact=<that path>

provider "google" {
  project = var.project
  region  = var.region
}

variable "project" {
  description = "The project rollgate and the shop services live in."
  type        = string
}

variable "region" {
  description = "Where the functions, the ledger and the services run."
  type        = string
  default     = "europe-west1"
}

variable "artifact" {
  description = "The zip printed by scripts/package gcp."
  type        = string
}

module "rollgate" {
  source = "../.."

  project         = var.project
  region          = var.region
  artifact        = var.artifact
  manifest        = "gs://shop-deploy/rollgate.yaml"
  manifest_bucket = "shop-deploy"
  backup_bucket   = "shop-backups"

  cloud_run_services = [
    { name = "shop-staging", region = var.region },
    { name = "shop", region = var.region },
  ]
  cloud_run_jobs = [
    { name = "shop-migrate-staging", region = var.region },
    { name = "shop-migrate", region = var.region },
  ]
  runtime_service_accounts = [
    "shop-staging@${var.project}.iam.gserviceaccount.com",
    "shop@${var.project}.iam.gserviceaccount.com",
  ]
  secret_ids = ["rollgate-promote-token", "rollgate-status-read-token", "shop-staging-db", "shop-db"]

  network       = "projects/${var.project}/global/networks/default"
  vpc_connector = "projects/${var.project}/locations/${var.region}/connectors/rollgate"
}

output "function_urls" {
  value = module.rollgate.function_urls
}
