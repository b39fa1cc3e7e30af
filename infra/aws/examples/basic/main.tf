# rollgate for one app ("shop") with staging and production services on ECS Fargate.
#   scripts/package aws            # prints the zip's path
#   terraform init && terraform apply -var artifact=<that path>

provider "aws" {
  region = "eu-west-1"
}

variable "artifact" {
  description = "The zip printed by scripts/package aws."
  type        = string
}

locals {
  account = "123456789012"
  region  = "eu-west-1"
}

module "rollgate" {
  source = "../.."

  artifact               = var.artifact
  manifest               = "s3://shop-deploy/rollgate.yaml"
  manifest_object_arns   = ["arn:aws:s3:::shop-deploy/rollgate.yaml", "arn:aws:s3:::shop-deploy/migrations/*"]
  ledger_url_secret_arn  = "arn:aws:secretsmanager:${local.region}:${local.account}:secret:rollgate/ledger-url-AbCdEf"
  ledger_url_secret_name = "rollgate/ledger-url"
  secret_arns = [
    "arn:aws:secretsmanager:${local.region}:${local.account}:secret:rollgate/promote-token-AbCdEf",
    "arn:aws:secretsmanager:${local.region}:${local.account}:secret:rollgate/status-read-token-GhIjKl",
  ]

  ecs_service_arns = [
    "arn:aws:ecs:${local.region}:${local.account}:service/staging/shop",
    "arn:aws:ecs:${local.region}:${local.account}:service/prod/shop",
  ]
  task_definition_families = ["shop"]
  ecs_cluster_arns = [
    "arn:aws:ecs:${local.region}:${local.account}:cluster/staging",
    "arn:aws:ecs:${local.region}:${local.account}:cluster/prod",
  ]
  task_role_arns = [
    "arn:aws:iam::${local.account}:role/shop-task",
    "arn:aws:iam::${local.account}:role/shop-execution",
  ]
  ecr_repository_names = ["shop"]

  subnet_ids         = ["subnet-0123456789abcdef0", "subnet-0fedcba9876543210"]
  security_group_ids = ["sg-0123456789abcdef0"]
}

output "webhook_url" {
  value = module.rollgate.webhook_url
}

output "promote_url" {
  value = module.rollgate.promote_url
}
