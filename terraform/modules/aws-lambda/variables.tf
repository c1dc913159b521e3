# ---------------------------------------------------------------------------
# Function
# ---------------------------------------------------------------------------

variable "name" {
  description = "Name of the function, its IAM roles, schedule, log group and alarms. Lowercase letters, digits and hyphens."
  type        = string

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{0,38}[a-z0-9]$", var.name))
    error_message = "name must be 2-40 characters of lowercase letters, digits and hyphens, starting with a letter and not ending with a hyphen."
  }
}

variable "artifact_path" {
  description = "Path to the Lambda deployment zip built by `mvn -pl lambda-adapter -am package` (lambda-adapter/target/lagsnap-lambda.zip)."
  type        = string

  validation {
    condition     = endswith(var.artifact_path, ".zip")
    error_message = "artifact_path must point to the lagsnap-lambda.zip deployment package."
  }
}

variable "artifact_s3_bucket" {
  description = "When set, the zip is uploaded to this existing bucket and the function is deployed from there (needed when the zip exceeds the 50 MB direct-upload limit). Null deploys the zip directly."
  type        = string
  default     = null
}

variable "handler" {
  description = "Java handler of the lambda-adapter artifact."
  type        = string
  default     = "io.lagsnap.lambda.LagsnapHandler::handleRequest"

  validation {
    condition     = can(regex("^[A-Za-z_][A-Za-z0-9_.$]*::[A-Za-z_][A-Za-z0-9_]*$", var.handler))
    error_message = "handler must have the form fully.qualified.Class::method."
  }
}

variable "architecture" {
  description = "Instruction set of the function: arm64 (cheaper per GB-second) or x86_64."
  type        = string
  default     = "arm64"

  validation {
    condition     = contains(["arm64", "x86_64"], var.architecture)
    error_message = "architecture must be arm64 or x86_64."
  }
}

variable "memory_size" {
  description = "Memory of the function in MB. CPU scales with it; 1024 MB or more keeps JVM start-up short."
  type        = number
  default     = 1024

  validation {
    condition     = var.memory_size >= 512 && var.memory_size <= 10240 && floor(var.memory_size) == var.memory_size
    error_message = "memory_size must be a whole number of MB between 512 and 10240."
  }
}

variable "timeout" {
  description = "Function timeout in seconds. Keep it above the run deadline in the config ([run] deadline) so lagsnap can finish its sinks before Lambda stops it."
  type        = number
  default     = 120

  validation {
    condition     = var.timeout >= 10 && var.timeout <= 900 && floor(var.timeout) == var.timeout
    error_message = "timeout must be a whole number of seconds between 10 and 900."
  }
}

variable "snap_start" {
  description = "Enable Lambda SnapStart on published versions. The schedule always invokes the `live` alias, which points at the latest published version."
  type        = bool
  default     = true
}

variable "reserved_concurrency" {
  description = "Reserved concurrent executions. 1 (the default) guarantees that two snapshots never run at once; -1 removes the reservation for accounts without spare concurrency."
  type        = number
  default     = 1

  validation {
    condition     = var.reserved_concurrency == -1 || (var.reserved_concurrency >= 1 && floor(var.reserved_concurrency) == var.reserved_concurrency)
    error_message = "reserved_concurrency must be -1 (unreserved) or a whole number of at least 1."
  }
}

variable "java_tool_options" {
  description = "JAVA_TOOL_OPTIONS of the function. The default trades peak JIT speed for a faster cold start, which suits a short one-shot run."
  type        = string
  default     = "-XX:+TieredCompilation -XX:TieredStopAtLevel=1"
}

variable "log_level" {
  description = "Application log level (JSON log format): Lambda sets AWS_LAMBDA_LOG_LEVEL from it and drops records below it. TRACE, DEBUG, INFO, WARN, ERROR or FATAL."
  type        = string
  default     = "INFO"

  validation {
    condition     = contains(["TRACE", "DEBUG", "INFO", "WARN", "ERROR", "FATAL"], var.log_level)
    error_message = "log_level must be TRACE, DEBUG, INFO, WARN, ERROR or FATAL."
  }
}

variable "log_retention_days" {
  description = "Retention of the function's CloudWatch log group in days."
  type        = number
  default     = 30

  validation {
    condition     = contains([1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653], var.log_retention_days)
    error_message = "log_retention_days must be one of the values CloudWatch Logs accepts (1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653)."
  }
}

variable "permissions_boundary_arn" {
  description = "ARN of an IAM permissions boundary to attach to the roles this module creates. Null attaches none."
  type        = string
  default     = null
}

variable "tags" {
  description = "Tags added to every resource that supports them."
  type        = map(string)
  default     = {}
}

# ---------------------------------------------------------------------------
# Configuration and secrets
# ---------------------------------------------------------------------------

variable "config_toml" {
  description = "The lagsnap config.toml text (usually rendered with templatefile). Strings in it may reference environment variables as $${NAME} and secrets as $${aws-secret:NAME} or $${ssm:NAME}, which the function resolves at run time (list them in secret_arns / ssm_parameter_names)."
  type        = string

  validation {
    condition     = length(trimspace(var.config_toml)) > 0
    error_message = "config_toml must not be empty."
  }
}

variable "config_delivery" {
  description = "How the config reaches the function: \"env\" puts the TOML in LAGSNAP_CONFIG (Lambda allows 4 KB of environment in total); \"s3\" uploads it next to the history and sets LAGSNAP_CONFIG_URL (needs a history bucket)."
  type        = string
  default     = "env"

  validation {
    condition     = contains(["env", "s3"], var.config_delivery)
    error_message = "config_delivery must be \"env\" or \"s3\"."
  }
}

variable "config_s3_key" {
  description = "Object key of the uploaded config when config_delivery is \"s3\". Null uses lagsnap-config/<name>/config.toml."
  type        = string
  default     = null
}

variable "fail_on" {
  description = "Which run outcomes fail the invocation (LAGSNAP_FAIL_ON): \"any\" (a cluster or sink failed, or the result is partial), \"nothing_delivered\" (no sink delivered anything) or \"never\" (only config errors). A failed invocation counts in the Errors alarm."
  type        = string
  default     = "any"

  validation {
    condition     = contains(["any", "nothing_delivered", "never"], var.fail_on)
    error_message = "fail_on must be any, nothing_delivered or never."
  }
}

variable "environment" {
  description = "Extra environment variables of the function. LAGSNAP_CONFIG*, LAGSNAP_FAIL_ON and JAVA_TOOL_OPTIONS are set by the module; AWS_* names are reserved by Lambda."
  type        = map(string)
  default     = {}

  validation {
    condition     = alltrue([for k in keys(var.environment) : can(regex("^[A-Za-z_][A-Za-z0-9_]*$", k)) && !startswith(k, "AWS_") && !startswith(k, "LAGSNAP_CONFIG") && k != "LAGSNAP_FAIL_ON" && k != "JAVA_TOOL_OPTIONS"])
    error_message = "environment keys must be valid variable names and must not be AWS_*, LAGSNAP_CONFIG*, LAGSNAP_FAIL_ON or JAVA_TOOL_OPTIONS."
  }
}

variable "secret_arns" {
  description = "Secrets Manager secrets the config references as $${aws-secret:NAME}, by full ARN. The function reads them at run time; the role may call secretsmanager:GetSecretValue on exactly these. No secret value passes through Terraform."
  type        = list(string)
  default     = []

  validation {
    condition     = alltrue([for arn in var.secret_arns : can(regex("^arn:aws[a-z-]*:secretsmanager:[a-z0-9-]+:[0-9]{12}:secret:.+$", arn))])
    error_message = "secret_arns must be full secret ARNs (arn:aws:secretsmanager:REGION:ACCOUNT:secret:NAME-SUFFIX)."
  }
}

variable "ssm_parameter_names" {
  description = "SSM parameters (SecureString or String) the config references as $${ssm:NAME}, by name (e.g. /lagsnap/kafka-password). The function reads them at run time; the role may call ssm:GetParameter on exactly these."
  type        = list(string)
  default     = []

  validation {
    condition     = alltrue([for n in var.ssm_parameter_names : can(regex("^/?[A-Za-z0-9_.\\-/]+$", n)) && !startswith(n, "arn:")])
    error_message = "ssm_parameter_names must be parameter names such as /lagsnap/kafka-password, not ARNs."
  }
}

variable "secrets_kms_key_arn" {
  description = "ARN of the customer-managed KMS key that encrypts the secrets or SecureString parameters, if any. The role gets kms:Decrypt on this key only, through Secrets Manager and SSM."
  type        = string
  default     = null

  validation {
    condition     = var.secrets_kms_key_arn == null || can(regex("^arn:aws[a-z-]*:kms:[a-z0-9-]+:[0-9]{12}:key/.+$", var.secrets_kms_key_arn))
    error_message = "secrets_kms_key_arn must be a KMS key ARN."
  }
}

# ---------------------------------------------------------------------------
# Schedule
# ---------------------------------------------------------------------------

variable "schedule_expression" {
  description = "EventBridge Scheduler expression: rate(...) or cron(...), e.g. \"rate(1 minute)\" or \"cron(*/5 * * * ? *)\"."
  type        = string
  default     = "rate(1 minute)"

  validation {
    condition     = can(regex("^(rate\\([1-9][0-9]* (minute|minutes|hour|hours|day|days)\\)|cron\\(.+\\))$", var.schedule_expression))
    error_message = "schedule_expression must be rate(N unit) or cron(fields)."
  }
}

variable "shard_count" {
  description = "Number of shards: one EventBridge Scheduler schedule per shard i invokes the function with {\"shard\": \"i/N\"} on every tick. Raise it when one run cannot snapshot every group within timeout; reserved_concurrency must then be at least N (or -1)."
  type        = number
  default     = 1

  validation {
    condition     = var.shard_count >= 1 && var.shard_count == floor(var.shard_count)
    error_message = "shard_count must be a whole number >= 1."
  }
}

variable "schedule_timezone" {
  description = "IANA time zone that cron expressions are evaluated in."
  type        = string
  default     = "UTC"
}

variable "schedule_enabled" {
  description = "Whether the schedule is enabled. Disable it to pause snapshots without destroying anything."
  type        = bool
  default     = true
}

# ---------------------------------------------------------------------------
# Network and Kafka access
# ---------------------------------------------------------------------------

variable "vpc_subnet_ids" {
  description = "Private subnets to run the function in (required to reach a private MSK cluster). Empty runs it outside any VPC."
  type        = list(string)
  default     = []
}

variable "vpc_security_group_ids" {
  description = "Security groups of the function when it runs in a VPC. They must allow egress to the brokers (9098 for IAM auth) and to the sinks."
  type        = list(string)
  default     = []
}

variable "msk_iam_auth" {
  description = "Grant the role kafka-cluster Connect, Describe* and ReadData on msk_cluster_arn (and its topics and groups) for MSK IAM authentication."
  type        = bool
  default     = false
}

variable "msk_cluster_arn" {
  description = "ARN of the MSK cluster the function reads when msk_iam_auth is true."
  type        = string
  default     = null

  validation {
    condition     = var.msk_cluster_arn == null || can(regex("^arn:aws[a-z-]*:kafka:[a-z0-9-]+:[0-9]{12}:cluster/[^/]+/[^/]+$", var.msk_cluster_arn))
    error_message = "msk_cluster_arn must be an MSK cluster ARN (arn:aws:kafka:REGION:ACCOUNT:cluster/NAME/UUID)."
  }
}

# ---------------------------------------------------------------------------
# History in S3, Glue table
# ---------------------------------------------------------------------------

variable "history_bucket_name" {
  description = "Bucket of the JSON history (the object_store sink). Null disables every history permission and resource."
  type        = string
  default     = null

  validation {
    condition     = var.history_bucket_name == null || can(regex("^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$", var.history_bucket_name))
    error_message = "history_bucket_name must be a valid S3 bucket name."
  }
}

variable "create_history_bucket" {
  description = "Create history_bucket_name (private, encrypted, with a lifecycle rule) instead of using an existing bucket."
  type        = bool
  default     = false
}

variable "history_prefix" {
  description = "Key prefix of the history inside the bucket, without leading or trailing slash and without * (a wildcard in IAM). The role may write only below it."
  type        = string
  default     = "lagsnap"

  validation {
    # no * (S3 allows it in keys): IAM reads it in the role's resource ARNs as a wildcard, widening every grant
    condition     = can(regex("^[A-Za-z0-9!_.'()-]+(/[A-Za-z0-9!_.'()-]+)*$", var.history_prefix))
    error_message = "history_prefix must be non-empty, without leading or trailing slash, empty segments or * (a wildcard in IAM)."
  }
}

variable "history_retention_days" {
  description = "Days after which history objects expire (lifecycle rule of a bucket this module creates)."
  type        = number
  default     = 90

  validation {
    condition     = var.history_retention_days >= 1 && floor(var.history_retention_days) == var.history_retention_days
    error_message = "history_retention_days must be a whole number of at least 1."
  }
}

variable "history_kms_key_arn" {
  description = "Customer-managed KMS key for the history bucket. Null uses SSE-S3 (AES256) on a created bucket and grants no KMS permission."
  type        = string
  default     = null

  validation {
    condition     = var.history_kms_key_arn == null || can(regex("^arn:aws[a-z-]*:kms:[a-z0-9-]+:[0-9]{12}:key/.+$", var.history_kms_key_arn))
    error_message = "history_kms_key_arn must be a KMS key ARN."
  }
}

variable "create_glue_table" {
  description = "Create a Glue (Athena) table over the history with partition projection on cluster, dt and hour."
  type        = bool
  default     = false
}

variable "create_glue_database" {
  description = "Create glue_database_name as well; false uses an existing database."
  type        = bool
  default     = true
}

variable "glue_database_name" {
  description = "Glue database of the history table."
  type        = string
  default     = "lagsnap"

  validation {
    condition     = can(regex("^[a-z0-9_]{1,255}$", var.glue_database_name))
    error_message = "glue_database_name must be lowercase letters, digits and underscores."
  }
}

variable "glue_table_name" {
  description = "Name of the Glue table over the history."
  type        = string
  default     = "lag_history"

  validation {
    condition     = can(regex("^[a-z0-9_]{1,255}$", var.glue_table_name))
    error_message = "glue_table_name must be lowercase letters, digits and underscores."
  }
}

variable "glue_cluster_names" {
  description = "Cluster names for the cluster partition's projection. Empty uses injected projection: queries must then filter on cluster with equality."
  type        = list(string)
  default     = []
}

variable "glue_projection_start_date" {
  description = "First date (YYYY-MM-DD) of the dt partition projection."
  type        = string
  default     = "2025-01-01"

  validation {
    condition     = can(regex("^[0-9]{4}-[0-9]{2}-[0-9]{2}$", var.glue_projection_start_date))
    error_message = "glue_projection_start_date must be a date in YYYY-MM-DD form."
  }
}

# ---------------------------------------------------------------------------
# Alarms
# ---------------------------------------------------------------------------

variable "alarm_actions" {
  description = "ARNs (SNS topics, for example) notified when an alarm fires or recovers."
  type        = list(string)
  default     = []
}

variable "missing_invocations_window_minutes" {
  description = "The missing-invocations alarm fires when the function was not invoked at all for this many minutes. Keep it above the schedule interval."
  type        = number
  default     = 15

  validation {
    condition     = var.missing_invocations_window_minutes >= 1 && var.missing_invocations_window_minutes <= 1440 && (var.missing_invocations_window_minutes <= 60 || var.missing_invocations_window_minutes % 60 == 0)
    error_message = "missing_invocations_window_minutes must be 1-60, or a multiple of 60 up to 1440 (CloudWatch period rules)."
  }
}
