# One user-assigned identity per role, each with the least it needs:
#   deploy: Container Apps Contributor on the named apps and jobs, Storage Blob Data Reader on the
#           manifest's container, Key Vault Secrets User on the ledger URL and its named secrets.
#   backup: Storage Blob Data Contributor on the backup container, Key Vault Secrets User on the
#           ledger URL and its named secrets.

locals {
  backup_account = var.backup_storage_account_id == "" ? "" : element(reverse(split("/", var.backup_storage_account_id)), 0)
  secrets = {
    deploy = var.deploy_secret_names
    backup = var.backup_secret_names
  }
  secret_grant_list = flatten([
    for role, names in local.secrets : [
      for name in concat([format("%s-ledger-url", var.name_prefix)], names) : { role = role, name = name }
    ]
  ])
  secret_grants = { for g in local.secret_grant_list : format("%s/%s", g.role, g.name) => g }
}

resource "azurerm_user_assigned_identity" "rollgate" {
  for_each            = local.functions
  name                = "${var.name_prefix}-${each.key}-id"
  resource_group_name = var.resource_group_name
  location            = var.location
  tags                = var.tags
}

resource "azurerm_role_assignment" "container_apps" {
  for_each             = toset(concat(var.container_app_ids, var.container_app_job_ids))
  scope                = each.value
  role_definition_name = "Container Apps Contributor"
  principal_id         = azurerm_user_assigned_identity.rollgate["deploy"].principal_id
}

resource "azurerm_role_assignment" "manifest" {
  scope                = var.manifest_container_id
  role_definition_name = "Storage Blob Data Reader"
  principal_id         = azurerm_user_assigned_identity.rollgate["deploy"].principal_id
}

resource "azurerm_role_assignment" "backups" {
  count                = var.backup_storage_account_id == "" ? 0 : 1
  scope                = "${var.backup_storage_account_id}/blobServices/default/containers/${var.backup_container}"
  role_definition_name = "Storage Blob Data Contributor"
  principal_id         = azurerm_user_assigned_identity.rollgate["backup"].principal_id
}

resource "azurerm_role_assignment" "secrets" {
  for_each             = local.secret_grants
  scope                = "${var.key_vault_id}/secrets/${each.value.name}"
  role_definition_name = "Key Vault Secrets User"
  principal_id         = azurerm_user_assigned_identity.rollgate[each.value.role].principal_id
}
