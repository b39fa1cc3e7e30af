variable "name_prefix" {
  description = "Prefix of every resource name (functions are <prefix>-<function>)."
  type        = string
  default     = "rollgate"
}

variable "artifact" {
  description = "Path of the Lambda zip built by 'scripts/package aws' (its last line)."
  type        = string
}

variable "runtime" {
  description = "Lambda Java runtime: java17 or java21 (SnapStart supports both)."
  type        = string
  default     = "java21"
}

variable "memory_mb" {
  description = "Memory of each function in MB; CPU grows with it, and so does cold-start speed."
  type        = number
  default     = 1024
}

variable "timeout_seconds" {
  description = "Timeout of each function. rollgate's own budget (ROLLGATE_BUDGET, default PT5M) must stay below it; reconcile finishes what a timeout cut short."
  type        = number
  default     = 360
}

variable "manifest" {
  description = "ROLLGATE_MANIFEST: where the functions read rollgate.yaml, e.g. s3://bucket/rollgate.yaml."
  type        = string
}

variable "backup_store" {
  description = "ROLLGATE_BACKUP_STORE: where backup and verifyBackup keep dumps, s3://bucket/prefix; empty turns backups off. The functions get s3:PutObject, GetObject, DeleteObject and AbortMultipartUpload on bucket/prefix/* and s3:ListBucket on the bucket, limited to the prefix."
  type        = string
  default     = ""
}

variable "manifest_object_arns" {
  description = "S3 object ARNs the functions may read: the manifest and the Flyway s3: migration prefixes (e.g. arn:aws:s3:::bucket/rollgate.yaml, arn:aws:s3:::bucket/migrations/*)."
  type        = list(string)
  default     = []
}

variable "ledger_url_secret_arn" {
  description = "ARN of the Secrets Manager secret whose value is the ledger's JDBC URL (jdbc:postgresql://host/db?user=...&password=...). The functions read it on their first invocation (ROLLGATE_LEDGER_URL=aws-sm:<name>)."
  type        = string
}

variable "ledger_url_secret_name" {
  description = "Name of that secret, as ROLLGATE_LEDGER_URL refers to it (aws-sm:<name>)."
  type        = string
}

variable "secret_arns" {
  description = "Other secrets the manifest refers to (aws-sm: database URLs, promotion token, the status page's read token, webhook secrets)."
  type        = list(string)
  default     = []
}

variable "ecs_service_arns" {
  description = "The ECS services the manifest's targets name: the only ones rollgate may update."
  type        = list(string)
}

variable "task_definition_families" {
  description = "Task definition families of those services (and of their job: migrations, run as ECS tasks): the only ones rollgate may register revisions of and run."
  type        = list(string)
}

variable "ecs_cluster_arns" {
  description = "Clusters where migration tasks may run (ecs:RunTask is limited to them)."
  type        = list(string)
}

variable "task_role_arns" {
  description = "Task and execution roles of those task definitions: the only roles rollgate may pass to ECS."
  type        = list(string)
}

variable "ecr_repository_names" {
  description = "ECR repositories whose pushes reach imagePushed (empty: every repository of the account)."
  type        = list(string)
  default     = []
}

variable "reconcile_schedule" {
  description = "EventBridge Scheduler expression for reconcile."
  type        = string
  default     = "rate(1 minute)"
}

variable "backup_schedule" {
  description = "Schedule of the backup function (it backs up whatever is due by the manifest)."
  type        = string
  default     = "rate(1 hour)"
}

variable "verify_backup_schedule" {
  description = "Schedule of verifyBackup."
  type        = string
  default     = "rate(1 day)"
}

variable "status_url_auth" {
  description = "Authorization of the status Function URL: AWS_IAM (default; signed requests) or NONE."
  type        = string
  default     = "AWS_IAM"
}

variable "log_retention_days" {
  description = "Retention of the functions' CloudWatch log groups."
  type        = number
  default     = 30
}

variable "subnet_ids" {
  description = "Subnets for the functions when the ledger or the apps' databases are private (empty: no VPC)."
  type        = list(string)
  default     = []
}

variable "security_group_ids" {
  description = "Security groups of the functions in the VPC."
  type        = list(string)
  default     = []
}

variable "tags" {
  description = "Tags on every resource."
  type        = map(string)
  default     = {}
}
