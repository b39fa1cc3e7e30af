# One Lambda per rollgate function, all from the same zip; the function is chosen by
# SPRING_CLOUD_FUNCTION_DEFINITION. The handler is rollgate's own (Spring Cloud Function's function
# model, no Spring Boot start). Names, handler and variables are checked against
# dev.rollgate.aws.lambda.RollgateHandler and RollgateLambda by InfraTerraformTest.

locals {
  functions = {
    imagePushed  = { description = "ECR pushes (EventBridge via SQS): record and deploy" }
    webhook      = { description = "Registry webhooks (Function URL), sender checked per rollgate.yaml" }
    promote      = { description = "Manual promotion (Function URL, bearer token)" }
    abort        = { description = "Stops a deployment in flight (Function URL, bearer token)" }
    plan         = { description = "What an event would do, changing nothing (Function URL, bearer token)" }
    reconcile    = { description = "Advances everything in flight (schedule)" }
    status       = { description = "What serves where (Function URL)" }
    backup       = { description = "Backups that are due (schedule)" }
    verifyBackup = { description = "Restore checks that are due (schedule)" }
  }
}

resource "aws_cloudwatch_log_group" "rollgate" {
  for_each          = local.functions
  name              = "/aws/lambda/${var.name_prefix}-${each.key}"
  retention_in_days = var.log_retention_days
  tags              = var.tags
}

resource "aws_lambda_function" "rollgate" {
  for_each         = local.functions
  function_name    = "${var.name_prefix}-${each.key}"
  description      = each.value.description
  filename         = var.artifact
  source_code_hash = filebase64sha256(var.artifact)
  handler          = "dev.rollgate.aws.lambda.RollgateHandler::handleRequest"
  runtime          = "java21"
  architectures    = ["x86_64"]
  memory_size      = var.memory_mb
  timeout          = var.timeout_seconds
  role             = aws_iam_role.rollgate.arn
  # SnapStart snapshots each published version after init; rollgate assembles its core on the
  # first invocation, so the snapshot holds no connection, credential or lease-owner id.
  publish = true
  snap_start {
    apply_on = "PublishedVersions"
  }

  environment {
    variables = {
      SPRING_CLOUD_FUNCTION_DEFINITION = each.key
      ROLLGATE_MANIFEST                = var.manifest
      ROLLGATE_LEDGER_URL              = "aws-sm:${var.ledger_url_secret_name}"
      ROLLGATE_BACKUP_STORE            = var.backup_store
      JAVA_TOOL_OPTIONS                = "-XX:+TieredCompilation -XX:TieredStopAtLevel=1"
    }
  }

  dynamic "vpc_config" {
    for_each = length(var.subnet_ids) > 0 ? [1] : []
    content {
      subnet_ids         = var.subnet_ids
      security_group_ids = var.security_group_ids
    }
  }

  depends_on = [aws_cloudwatch_log_group.rollgate]
  tags       = var.tags
}

# Triggers call the alias, i.e. the newest published (snapshotted) version.
resource "aws_lambda_alias" "live" {
  for_each         = local.functions
  name             = "live"
  function_name    = aws_lambda_function.rollgate[each.key].function_name
  function_version = aws_lambda_function.rollgate[each.key].version
}

# The HTTP functions. webhook, promote, abort and plan check their callers themselves (sender
# signatures per rollgate.yaml, the promotion token); status needs signed requests unless
# status_url_auth = NONE.
resource "aws_lambda_function_url" "webhook" {
  function_name      = aws_lambda_function.rollgate["webhook"].function_name
  qualifier          = aws_lambda_alias.live["webhook"].name
  authorization_type = "NONE"
}

resource "aws_lambda_function_url" "promote" {
  function_name      = aws_lambda_function.rollgate["promote"].function_name
  qualifier          = aws_lambda_alias.live["promote"].name
  authorization_type = "NONE"
}

resource "aws_lambda_function_url" "abort" {
  function_name      = aws_lambda_function.rollgate["abort"].function_name
  qualifier          = aws_lambda_alias.live["abort"].name
  authorization_type = "NONE"
}

resource "aws_lambda_function_url" "plan" {
  function_name      = aws_lambda_function.rollgate["plan"].function_name
  qualifier          = aws_lambda_alias.live["plan"].name
  authorization_type = "NONE"
}

resource "aws_lambda_function_url" "status" {
  function_name      = aws_lambda_function.rollgate["status"].function_name
  qualifier          = aws_lambda_alias.live["status"].name
  authorization_type = var.status_url_auth
}
