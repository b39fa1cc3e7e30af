# Two Function Apps run the one artifact, one per role, each under its own managed identity: "deploy"
# (the ACR push through Event Grid, webhooks, promote, abort, plan, status, reconcile) and "backup" (backup,
# verifyBackup). Each app turns off the other role's functions with AzureWebJobs.<name>.Disabled,
# so no identity holds a permission its functions do not use.

locals {
  # Every Azure Function in the artifact by role (RollgateAzureFunctions.FUNCTIONS).
  functions = {
    deploy = ["imagePushed", "imagePushedHttp", "webhook", "promote", "abort", "plan", "status", "reconcile"]
    backup = ["backup", "verifyBackup"]
  }
  all_functions = flatten(values(local.functions))

  backup_store = var.backup_storage_account_id == "" ? "" : "azblob://${local.backup_account}/${var.backup_container}/${var.backup_prefix}"

  # The app settings rollgate reads (RollgateAzureFunctions.ENVIRONMENT); the timers' schedules are
  # read by the Functions host from the %SETTING% in each @TimerTrigger.
  app_settings = {
    ROLLGATE_MANIFEST               = var.manifest
    ROLLGATE_LEDGER_URL             = "azure-kv:${azurerm_key_vault_secret.ledger_url.versionless_id}"
    ROLLGATE_BACKUP_STORE           = local.backup_store
    ROLLGATE_RECONCILE_SCHEDULE     = var.reconcile_schedule
    ROLLGATE_BACKUP_SCHEDULE        = var.backup_schedule
    ROLLGATE_VERIFY_BACKUP_SCHEDULE = var.verify_backup_schedule
  }
}

resource "random_string" "suffix" {
  length  = 6
  special = false
  upper   = false
}

# The Functions host's own storage (triggers' leases, keys); rollgate keeps nothing here.
resource "azurerm_storage_account" "host" {
  name                            = substr(replace("${var.name_prefix}host${random_string.suffix.result}", "-", ""), 0, 24)
  resource_group_name             = var.resource_group_name
  location                        = var.location
  account_tier                    = "Standard"
  account_replication_type        = "LRS"
  min_tls_version                 = "TLS1_2"
  allow_nested_items_to_be_public = false
  tags                            = var.tags
}

resource "azurerm_service_plan" "rollgate" {
  name                = "${var.name_prefix}-plan"
  resource_group_name = var.resource_group_name
  location            = var.location
  os_type             = "Linux"
  sku_name            = var.plan_sku
  tags                = var.tags
}

resource "azurerm_linux_function_app" "rollgate" {
  for_each                   = local.functions
  name                       = "${var.name_prefix}-${each.key}-${random_string.suffix.result}"
  resource_group_name        = var.resource_group_name
  location                   = var.location
  service_plan_id            = azurerm_service_plan.rollgate.id
  storage_account_name       = azurerm_storage_account.host.name
  storage_account_access_key = azurerm_storage_account.host.primary_access_key
  https_only                 = true
  zip_deploy_file            = var.artifact
  tags                       = var.tags

  identity {
    type         = "UserAssigned"
    identity_ids = [azurerm_user_assigned_identity.rollgate[each.key].id]
  }
  key_vault_reference_identity_id = azurerm_user_assigned_identity.rollgate[each.key].id

  site_config {
    application_stack {
      java_version = "17"
    }
    ftps_state          = "Disabled"
    minimum_tls_version = "1.2"
  }

  app_settings = merge(
    local.app_settings,
    {
      # DefaultAzureCredential picks this user-assigned identity.
      AZURE_CLIENT_ID = azurerm_user_assigned_identity.rollgate[each.key].client_id
    },
    { for f in local.all_functions : format("AzureWebJobs.%s.Disabled", f) => "true" if !contains(each.value, f) }
  )
}
