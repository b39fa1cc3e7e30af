data "aws_caller_identity" "current" {}
data "aws_region" "current" {}

locals {
  account = data.aws_caller_identity.current.account_id
  region  = data.aws_region.current.name
  task_definition_arns = [
    for f in var.task_definition_families :
    "arn:aws:ecs:${local.region}:${local.account}:task-definition/${f}:*"
  ]
  # var.backup_store is s3://bucket/prefix: "bucket/prefix" without the scheme or a final slash.
  backup_path   = trimsuffix(trimprefix(var.backup_store, "s3://"), "/")
  backup_bucket = split("/", local.backup_path)[0]
  backup_prefix = trimprefix(trimprefix(local.backup_path, local.backup_bucket), "/")
}

resource "aws_iam_role" "rollgate" {
  name = "${var.name_prefix}-functions"
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Principal = { Service = "lambda.amazonaws.com" }, Action = "sts:AssumeRole" }]
  })
  tags = var.tags
}

# Least privilege: reads where AWS offers no resource scoping; every change limited to the
# manifest's services, task families, clusters, roles, secrets and objects.
resource "aws_iam_role_policy" "rollgate" {
  name = "rollgate"
  role = aws_iam_role.rollgate.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = concat([
      {
        Sid      = "Logs"
        Effect   = "Allow"
        Action   = ["logs:CreateLogStream", "logs:PutLogEvents"]
        Resource = [for g in aws_cloudwatch_log_group.rollgate : "${g.arn}:*"]
      },
      {
        Sid    = "EcsRead"
        Effect = "Allow"
        # Describe/List actions support no resource-level scoping.
        Action   = ["ecs:DescribeServices", "ecs:DescribeTaskDefinition", "ecs:ListTaskDefinitions", "ecs:DescribeTasks", "ecs:ListTasks"]
        Resource = "*"
      },
      {
        Sid      = "EcsUpdateService"
        Effect   = "Allow"
        Action   = ["ecs:UpdateService"]
        Resource = var.ecs_service_arns
      },
      {
        # AWS's own examples grant RegisterTaskDefinition on "*": it is not reliably scoped to a
        # family. What a registered task definition may do is bounded by iam:PassRole below,
        # which only passes the manifest's task roles.
        Sid      = "EcsRegisterTaskDefinition"
        Effect   = "Allow"
        Action   = ["ecs:RegisterTaskDefinition"]
        Resource = "*"
      },
      {
        Sid      = "EcsTagTaskDefinitions"
        Effect   = "Allow"
        Action   = ["ecs:TagResource"]
        Resource = local.task_definition_arns
      },
      {
        Sid       = "EcsMigrationTasks"
        Effect    = "Allow"
        Action    = ["ecs:RunTask"]
        Resource  = local.task_definition_arns
        Condition = { ArnEquals = { "ecs:cluster" = var.ecs_cluster_arns } }
      },
      {
        Sid       = "EcsStopMigrationTasks"
        Effect    = "Allow"
        Action    = ["ecs:StopTask"]
        Resource  = "*"
        Condition = { ArnEquals = { "ecs:cluster" = var.ecs_cluster_arns } }
      },
      {
        Sid       = "PassTaskRoles"
        Effect    = "Allow"
        Action    = ["iam:PassRole"]
        Resource  = var.task_role_arns
        Condition = { StringEquals = { "iam:PassedToService" = "ecs-tasks.amazonaws.com" } }
      },
      {
        Sid      = "Secrets"
        Effect   = "Allow"
        Action   = ["secretsmanager:GetSecretValue"]
        Resource = concat([var.ledger_url_secret_arn], var.secret_arns)
      },
      {
        Sid      = "PushQueue"
        Effect   = "Allow"
        Action   = ["sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:GetQueueAttributes"]
        Resource = [aws_sqs_queue.pushes.arn]
      }
      ],
      length(var.manifest_object_arns) > 0 ? [{
        Sid      = "ManifestAndMigrations"
        Effect   = "Allow"
        Action   = ["s3:GetObject", "s3:ListBucket"]
        Resource = concat(var.manifest_object_arns, distinct([for a in var.manifest_object_arns : split("/", a)[0]]))
      }] : [],
      var.backup_store != "" ? [{
        Sid      = "BackupObjects"
        Effect   = "Allow"
        Action   = ["s3:PutObject", "s3:GetObject", "s3:DeleteObject", "s3:AbortMultipartUpload"]
        Resource = ["arn:aws:s3:::${local.backup_path}/*"]
        }, {
        Sid       = "BackupListing"
        Effect    = "Allow"
        Action    = ["s3:ListBucket"]
        Resource  = ["arn:aws:s3:::${local.backup_bucket}"]
        Condition = { StringLike = { "s3:prefix" = [local.backup_prefix == "" ? "*" : "${local.backup_prefix}/*"] } }
      }] : [],
      length(var.subnet_ids) > 0 ? [{
        Sid      = "VpcNetworkInterfaces"
        Effect   = "Allow"
        Action   = ["ec2:CreateNetworkInterface", "ec2:DescribeNetworkInterfaces", "ec2:DeleteNetworkInterface", "ec2:AssignPrivateIpAddresses", "ec2:UnassignPrivateIpAddresses"]
        Resource = "*"
      }] : []
    )
  })
}

resource "aws_iam_role" "scheduler" {
  name = "${var.name_prefix}-scheduler"
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Principal = { Service = "scheduler.amazonaws.com" }, Action = "sts:AssumeRole" }]
  })
  tags = var.tags
}

resource "aws_iam_role_policy" "scheduler" {
  name = "invoke-scheduled-functions"
  role = aws_iam_role.scheduler.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect   = "Allow"
      Action   = "lambda:InvokeFunction"
      Resource = [for k, v in local.schedules : aws_lambda_alias.live[k].arn]
    }]
  })
}
