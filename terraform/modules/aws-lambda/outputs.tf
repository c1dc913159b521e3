output "function_name" {
  description = "Name of the Lambda function."
  value       = aws_lambda_function.this.function_name
}

output "function_arn" {
  description = "ARN of the Lambda function (unqualified)."
  value       = aws_lambda_function.this.arn
}

output "function_version" {
  description = "Latest published version of the function, the one the live alias points to."
  value       = aws_lambda_function.this.version
}

output "alias_arn" {
  description = "ARN of the live alias that the schedule invokes. Invoke it by hand for a one-off snapshot."
  value       = aws_lambda_alias.live.arn
}

output "role_arn" {
  description = "ARN of the function's execution role."
  value       = aws_iam_role.function.arn
}

output "role_name" {
  description = "Name of the function's execution role, for attaching extra policies."
  value       = aws_iam_role.function.name
}

output "schedule_arns" {
  description = "ARNs of the EventBridge Scheduler schedules, one per shard (shard_count)."
  value       = aws_scheduler_schedule.this[*].arn
}

output "log_group_name" {
  description = "CloudWatch log group of the function."
  value       = aws_cloudwatch_log_group.this.name
}

output "history_url" {
  description = "s3://bucket/prefix of the JSON history, for the object_store sink's url; null when no history bucket is set."
  value       = local.history_url
}

output "history_bucket_name" {
  description = "Name of the history bucket (created or given); null when no history bucket is set."
  value       = var.create_history_bucket ? aws_s3_bucket.history[0].id : var.history_bucket_name
}

output "config_url" {
  description = "s3:// URL of the uploaded config when config_delivery is \"s3\"; null otherwise."
  value       = var.config_delivery == "s3" ? local.config_url : null
}

output "glue_table" {
  description = "database.table of the Glue history table for Athena; null when create_glue_table is false."
  value       = var.create_glue_table ? "${aws_glue_catalog_table.history[0].database_name}.${aws_glue_catalog_table.history[0].name}" : null
}

output "alarm_arns" {
  description = "ARNs of the CloudWatch alarms, keyed errors and missing_invocations."
  value = {
    errors              = aws_cloudwatch_metric_alarm.errors.arn
    missing_invocations = aws_cloudwatch_metric_alarm.missing_invocations.arn
  }
}
