data "aws_caller_identity" "current" {}

data "aws_partition" "current" {}

data "aws_region" "current" {}

locals {
  account_id = data.aws_caller_identity.current.account_id
  partition  = data.aws_partition.current.partition
  region     = data.aws_region.current.region

  in_vpc          = length(var.vpc_subnet_ids) > 0
  history_enabled = var.history_bucket_name != null
  history_url     = local.history_enabled ? "s3://${var.history_bucket_name}/${var.history_prefix}" : null
  config_s3_key   = coalesce(var.config_s3_key, "lagsnap-config/${var.name}/config.toml")

  config_url         = local.history_enabled ? "s3://${var.history_bucket_name}/${local.config_s3_key}" : null
  config_environment = var.config_delivery == "env" ? { LAGSNAP_CONFIG = var.config_toml } : { LAGSNAP_CONFIG_URL = local.config_url }

  environment = merge(
    var.environment,
    local.config_environment,
    { JAVA_TOOL_OPTIONS = var.java_tool_options, LAGSNAP_FAIL_ON = var.fail_on },
  )
  environment_size = length(join("", [for k, v in local.environment : "${k}${v}"]))
}

resource "aws_cloudwatch_log_group" "this" {
  name              = "/aws/lambda/${var.name}"
  retention_in_days = var.log_retention_days
  tags              = var.tags
}

resource "aws_s3_object" "artifact" {
  count = var.artifact_s3_bucket == null ? 0 : 1

  bucket      = var.artifact_s3_bucket
  key         = "lagsnap/${var.name}/lagsnap-lambda-${filemd5(var.artifact_path)}.zip"
  source      = var.artifact_path
  source_hash = filemd5(var.artifact_path)
  tags        = var.tags
}

resource "aws_lambda_function" "this" {
  function_name = var.name
  description   = "lagsnap: one Kafka consumer-group lag snapshot per invocation"
  role          = aws_iam_role.function.arn
  runtime       = "java21"
  handler       = var.handler
  architectures = [var.architecture]
  memory_size   = var.memory_size
  timeout       = var.timeout
  publish       = true

  filename         = var.artifact_s3_bucket == null ? var.artifact_path : null
  s3_bucket        = var.artifact_s3_bucket
  s3_key           = var.artifact_s3_bucket == null ? null : aws_s3_object.artifact[0].key
  source_code_hash = filebase64sha256(var.artifact_path)

  reserved_concurrent_executions = var.reserved_concurrency

  environment {
    variables = local.environment
  }

  # JSON, because only then does Lambda set AWS_LAMBDA_LOG_LEVEL (and filter) from application_log_level.
  logging_config {
    log_format            = "JSON"
    application_log_level = var.log_level
    system_log_level      = "WARN"
    log_group             = aws_cloudwatch_log_group.this.name
  }

  dynamic "snap_start" {
    for_each = var.snap_start ? [true] : []

    content {
      apply_on = "PublishedVersions"
    }
  }

  dynamic "vpc_config" {
    for_each = local.in_vpc ? [true] : []

    content {
      subnet_ids         = var.vpc_subnet_ids
      security_group_ids = var.vpc_security_group_ids
    }
  }

  tags = var.tags

  lifecycle {
    # Lambda's limit is on every variable's name and value together, not on the config alone.
    precondition {
      condition     = local.environment_size <= 4096
      error_message = "The function's environment (names and values of every variable, the config included) is over Lambda's 4 KB. Use config_delivery = \"s3\" or fewer environment variables."
    }

    precondition {
      condition     = var.reserved_concurrency == -1 || var.reserved_concurrency >= var.shard_count
      error_message = "reserved_concurrency must be -1 or at least shard_count: the shards of one tick run side by side."
    }

    precondition {
      condition     = var.config_delivery == "env" || local.history_enabled
      error_message = "config_delivery = \"s3\" needs history_bucket_name: the config is stored in that bucket."
    }

    precondition {
      condition     = !local.in_vpc || length(var.vpc_security_group_ids) > 0
      error_message = "vpc_security_group_ids must not be empty when vpc_subnet_ids is set."
    }

    precondition {
      condition     = !var.msk_iam_auth || var.msk_cluster_arn != null
      error_message = "msk_iam_auth = true needs msk_cluster_arn."
    }
  }

  depends_on = [
    aws_iam_role_policy.function,
    aws_s3_object.config,
  ]
}

# The schedule invokes this alias, so SnapStart's published snapshot is what runs.
resource "aws_lambda_alias" "live" {
  name             = "live"
  description      = "Latest published version of ${var.name}"
  function_name    = aws_lambda_function.this.function_name
  function_version = aws_lambda_function.this.version
}

# A snapshot that arrives late is worse than none: the next schedule tick takes a fresh one.
resource "aws_lambda_function_event_invoke_config" "this" {
  function_name                = aws_lambda_function.this.function_name
  qualifier                    = aws_lambda_alias.live.name
  maximum_retry_attempts       = 0
  maximum_event_age_in_seconds = 60
}

# One schedule per shard: each run collects one shard of the groups ({"shard": "i/N"}, see shard_count).
resource "aws_scheduler_schedule" "this" {
  count = var.shard_count

  name                         = var.shard_count == 1 ? var.name : "${var.name}-shard-${count.index}"
  description                  = "Triggers one lagsnap snapshot (shard ${count.index}/${var.shard_count})"
  schedule_expression          = var.schedule_expression
  schedule_expression_timezone = var.schedule_timezone
  state                        = var.schedule_enabled ? "ENABLED" : "DISABLED"

  flexible_time_window {
    mode = "OFF"
  }

  target {
    arn      = aws_lambda_alias.live.arn
    role_arn = aws_iam_role.scheduler.arn
    input    = jsonencode(merge({ source = "lagsnap.schedule", schedule = var.name }, var.shard_count == 1 ? {} : { shard = "${count.index}/${var.shard_count}" }))

    # A failed run is not re-run: the next tick is the retry.
    retry_policy {
      maximum_retry_attempts       = 0
      maximum_event_age_in_seconds = 60
    }
  }
}

moved {
  from = aws_scheduler_schedule.this
  to   = aws_scheduler_schedule.this[0]
}
