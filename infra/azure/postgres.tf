# The ledger on Azure Database for PostgreSQL flexible server. Its JDBC URL (with the password) is a
# Key Vault secret; the functions read it as ROLLGATE_LEDGER_URL=azure-kv:<secret URL>.

resource "random_password" "ledger" {
  length  = 32
  special = false
}

resource "azurerm_postgresql_flexible_server" "ledger" {
  name                          = "${var.name_prefix}-ledger-${random_string.suffix.result}"
  resource_group_name           = var.resource_group_name
  location                      = var.location
  version                       = var.postgres_version
  sku_name                      = var.postgres_sku
  storage_mb                    = 32768
  backup_retention_days         = 14
  administrator_login           = "rollgate"
  administrator_password        = random_password.ledger.result
  public_network_access_enabled = true
  tags                          = var.tags

  lifecycle {
    ignore_changes = [zone]
  }
}

# Azure services only (the Function Apps' outbound addresses are Azure's); use a private network
# for anything stricter.
resource "azurerm_postgresql_flexible_server_firewall_rule" "azure" {
  name             = "azure-services"
  server_id        = azurerm_postgresql_flexible_server.ledger.id
  start_ip_address = "0.0.0.0"
  end_ip_address   = "0.0.0.0"
}

resource "azurerm_postgresql_flexible_server_database" "ledger" {
  name      = "rollgate"
  server_id = azurerm_postgresql_flexible_server.ledger.id
  charset   = "UTF8"
  collation = "en_US.utf8"
}

resource "azurerm_key_vault_secret" "ledger_url" {
  name         = "${var.name_prefix}-ledger-url"
  key_vault_id = var.key_vault_id
  content_type = "text/plain"
  value        = "jdbc:postgresql://${azurerm_postgresql_flexible_server.ledger.fqdn}:5432/${azurerm_postgresql_flexible_server_database.ledger.name}?user=rollgate&password=${random_password.ledger.result}&sslmode=require"
}
