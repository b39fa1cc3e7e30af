# rollgate for one app ("shop") with staging and production Container Apps, migrations as
# Container Apps Jobs, pushes from the registry "shopacr".
#   scripts/package azure                    # prints the zip's path
#   az storage blob upload --auth-mode login --account-name shopdeploy -c deploy-config \
#     -n rollgate.yaml -f rollgate.yaml
#   cp terraform.tfvars.example terraform.tfvars   # then edit
#   terraform init && terraform apply -var artifact=<that path>

provider "azurerm" {
  features {}
  subscription_id = var.subscription_id
}

variable "subscription_id" {
  description = "The subscription rollgate and the shop apps live in."
  type        = string
}

variable "resource_group_name" {
  description = "The shop's resource group (its apps, jobs, registry, vault, storage)."
  type        = string
  default     = "shop"
}

variable "location" {
  description = "Where the functions and the ledger run."
  type        = string
  default     = "westeurope"
}

variable "artifact" {
  description = "The zip printed by scripts/package azure."
  type        = string
}

locals {
  rg   = "/subscriptions/${var.subscription_id}/resourceGroups/${var.resource_group_name}"
  apps = "${local.rg}/providers/Microsoft.App"
}

module "rollgate" {
  source = "../.."

  resource_group_name   = var.resource_group_name
  location              = var.location
  artifact              = var.artifact
  manifest              = "https://shopdeploy.blob.core.windows.net/deploy-config/rollgate.yaml"
  manifest_container_id = "${local.rg}/providers/Microsoft.Storage/storageAccounts/shopdeploy/blobServices/default/containers/deploy-config"

  backup_storage_account_id = "${local.rg}/providers/Microsoft.Storage/storageAccounts/shopbackups"
  backup_container          = "rollgate-backups"

  registry_id       = "${local.rg}/providers/Microsoft.ContainerRegistry/registries/shopacr"
  repository_prefix = "shop"

  container_app_ids     = ["${local.apps}/containerApps/shop-staging", "${local.apps}/containerApps/shop"]
  container_app_job_ids = ["${local.apps}/jobs/shop-migrate-staging"]

  key_vault_id        = "${local.rg}/providers/Microsoft.KeyVault/vaults/shop-vault"
  deploy_secret_names = ["rollgate-promote-token", "rollgate-status-read-token", "shop-db"]
  backup_secret_names = ["shop-db"]
}

output "function_apps" {
  value = module.rollgate.function_apps
}

output "api_url" {
  value = module.rollgate.api_url
}
