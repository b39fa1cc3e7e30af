# ACR pushes reach imagePushed through an Event Grid system topic on the registry. With an Azure
# Function endpoint the Functions host answers the subscription's validation itself; imagePushedHttp
# (POST /api/imagePushed) answers it for plain webhook subscriptions.

resource "azurerm_eventgrid_system_topic" "registry" {
  name                = "${var.name_prefix}-acr"
  resource_group_name = var.resource_group_name
  location            = var.location
  source_resource_id  = var.registry_id
  topic_type          = "Microsoft.ContainerRegistries.Registries"
  tags                = var.tags
}

resource "azurerm_eventgrid_system_topic_event_subscription" "image_pushed" {
  name                  = "${var.name_prefix}-image-pushed"
  system_topic          = azurerm_eventgrid_system_topic.registry.name
  resource_group_name   = var.resource_group_name
  included_event_types  = ["Microsoft.ContainerRegistry.ImagePushed"]
  event_delivery_schema = var.event_delivery_schema

  azure_function_endpoint {
    function_id          = "${azurerm_linux_function_app.rollgate["deploy"].id}/functions/imagePushed"
    max_events_per_batch = 1
  }

  subject_filter {
    subject_begins_with = var.repository_prefix
  }

  # A push that failed for a reason that may pass is redelivered; the ledger deploys it once.
  retry_policy {
    max_delivery_attempts = 10
    event_time_to_live    = 1440
  }
}
