variable "resource_group_name" {
  description = "Resource group of everything created here (Function Apps, identities, Event Grid system topic, PostgreSQL)."
  type        = string
}

variable "location" {
  description = "Azure region of the Function Apps, the system topic (the registry's region) and PostgreSQL."
  type        = string
  default     = "westeurope"
}

variable "name_prefix" {
  description = "Prefix of every resource name: Function Apps are <prefix>-<role> (rollgate-deploy, rollgate-backup), identities <prefix>-<role>-id."
  type        = string
  default     = "rollgate"
}

variable "artifact" {
  description = "Path of the zip built by 'scripts/package azure' (its last line): host.json, one folder per function with its function.json, and the jar. Both Function Apps run it."
  type        = string
}

variable "plan_sku" {
  description = "App Service plan SKU of the Function Apps: EP1 (Elastic Premium: no 10-minute limit, so a rollout's verification is never cut short) or Y1 (Consumption: cheaper, functions stop after 10 minutes; keep health deadlines well below)."
  type        = string
  default     = "EP1"
}

variable "manifest" {
  description = "ROLLGATE_MANIFEST: where the functions read rollgate.yaml, e.g. https://ACCOUNT.blob.core.windows.net/deploy-config/rollgate.yaml or azblob://ACCOUNT/deploy-config/rollgate.yaml."
  type        = string
}

variable "manifest_container_id" {
  description = "Resource id of the Blob container holding the manifest (.../storageAccounts/ACCOUNT/blobServices/default/containers/NAME); the deploy identity gets Storage Blob Data Reader on it only."
  type        = string
}

variable "backup_storage_account_id" {
  description = "Resource id of the storage account of the backup store; empty turns backups off."
  type        = string
  default     = ""
}

variable "backup_container" {
  description = "Blob container of the backup store in backup_storage_account_id; the backup identity gets Storage Blob Data Contributor on this container only."
  type        = string
  default     = "rollgate-backups"
}

variable "backup_prefix" {
  description = "Prefix of the backups in backup_container (ROLLGATE_BACKUP_STORE=azblob://<account>/<container>/<prefix>)."
  type        = string
  default     = "rollgate"
}

variable "registry_id" {
  description = "Resource id of the Azure Container Registry whose ImagePushed events start rollouts (an Event Grid system topic is created on it)."
  type        = string
}

variable "event_delivery_schema" {
  description = "Schema Event Grid delivers ACR pushes in: EventGridSchema or CloudEventSchemaV1_0 (imagePushed reads both)."
  type        = string
  default     = "EventGridSchema"
}

variable "repository_prefix" {
  description = "Only pushes whose subject (repository:tag) begins with this reach rollgate; empty: every repository."
  type        = string
  default     = ""
}

variable "container_app_ids" {
  description = "Resource ids of the Container Apps rollgate deploys; the deploy identity gets Container Apps Contributor on each, nothing else."
  type        = list(string)
  default     = []
}

variable "container_app_job_ids" {
  description = "Resource ids of the Container Apps Jobs that run job: migrations; the deploy identity gets Container Apps Contributor on each."
  type        = list(string)
  default     = []
}

variable "key_vault_id" {
  description = "Resource id of the Key Vault (RBAC authorization) holding the ledger URL and the secrets rollgate.yaml references as azure-kv:VAULT/NAME."
  type        = string
}

variable "deploy_secret_names" {
  description = "Key Vault secrets the deploy functions read (promotion token, the status page's read token, webhook secrets, databases of migrations); Key Vault Secrets User on each secret only."
  type        = list(string)
  default     = []
}

variable "backup_secret_names" {
  description = "Key Vault secrets the backup functions read (the backed-up databases' URLs); Key Vault Secrets User on each secret only."
  type        = list(string)
  default     = []
}

variable "postgres_sku" {
  description = "SKU of the ledger's Azure Database for PostgreSQL flexible server."
  type        = string
  default     = "B_Standard_B1ms"
}

variable "postgres_version" {
  description = "PostgreSQL major version of the ledger's server."
  type        = string
  default     = "16"
}

variable "reconcile_schedule" {
  description = "NCRONTAB (six fields, UTC) of reconcile, which advances whatever is in flight (app setting ROLLGATE_RECONCILE_SCHEDULE)."
  type        = string
  default     = "0 */5 * * * *"
}

variable "backup_schedule" {
  description = "NCRONTAB of backup, which takes the backups that are due per rollgate.yaml (ROLLGATE_BACKUP_SCHEDULE)."
  type        = string
  default     = "0 0 * * * *"
}

variable "verify_backup_schedule" {
  description = "NCRONTAB of verifyBackup, which restores the newest backups into scratch databases and checks them (ROLLGATE_VERIFY_BACKUP_SCHEDULE)."
  type        = string
  default     = "0 30 3 * * *"
}

variable "tags" {
  description = "Tags on every resource."
  type        = map(string)
  default     = {}
}
