# ECR pushes: EventBridge rule -> SQS (buffer, retries) -> imagePushed; failures after
# 5 receives land in the dead-letter queue. imagePushed decodes the SQS envelope itself.

resource "aws_sqs_queue" "pushes_dlq" {
  name                      = "${var.name_prefix}-pushes-dlq"
  message_retention_seconds = 1209600
  tags                      = var.tags
}

resource "aws_sqs_queue" "pushes" {
  name = "${var.name_prefix}-pushes"
  # At least the function's timeout, so a message is not redelivered while still handled.
  visibility_timeout_seconds = var.timeout_seconds + 30
  redrive_policy = jsonencode({
    deadLetterTargetArn = aws_sqs_queue.pushes_dlq.arn
    maxReceiveCount     = 5
  })
  tags = var.tags
}

resource "aws_cloudwatch_event_rule" "ecr_push" {
  name        = "${var.name_prefix}-ecr-push"
  description = "Successful ECR image pushes, for rollgate's imagePushed"
  event_pattern = jsonencode({
    source      = ["aws.ecr"]
    detail-type = ["ECR Image Action"]
    detail = merge(
      { action-type = ["PUSH"], result = ["SUCCESS"] },
      length(var.ecr_repository_names) > 0 ? { repository-name = var.ecr_repository_names } : {}
    )
  })
  tags = var.tags
}

resource "aws_cloudwatch_event_target" "ecr_push" {
  rule = aws_cloudwatch_event_rule.ecr_push.name
  arn  = aws_sqs_queue.pushes.arn
}

resource "aws_sqs_queue_policy" "pushes" {
  queue_url = aws_sqs_queue.pushes.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { Service = "events.amazonaws.com" }
      Action    = "sqs:SendMessage"
      Resource  = aws_sqs_queue.pushes.arn
      Condition = { ArnEquals = { "aws:SourceArn" = aws_cloudwatch_event_rule.ecr_push.arn } }
    }]
  })
}

resource "aws_lambda_event_source_mapping" "pushes" {
  event_source_arn = aws_sqs_queue.pushes.arn
  function_name    = aws_lambda_alias.live["imagePushed"].arn
  batch_size       = 1
}

# Schedules: reconcile, backup, verifyBackup, each invoking the function's live alias with an
# empty JSON object (the functions then do whatever is due).

locals {
  schedules = {
    reconcile    = var.reconcile_schedule
    backup       = var.backup_schedule
    verifyBackup = var.verify_backup_schedule
  }
}

resource "aws_scheduler_schedule" "rollgate" {
  for_each                     = local.schedules
  name                         = "${var.name_prefix}-${each.key}"
  schedule_expression          = each.value
  schedule_expression_timezone = "UTC"
  flexible_time_window {
    mode = "OFF"
  }
  target {
    arn      = aws_lambda_alias.live[each.key].arn
    role_arn = aws_iam_role.scheduler.arn
    input    = jsonencode({})
    retry_policy {
      maximum_retry_attempts = 0 # the next run retries anyway
    }
  }
}
