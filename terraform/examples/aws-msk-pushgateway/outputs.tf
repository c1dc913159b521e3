output "function_name" {
  description = "Name of the lagsnap Lambda function."
  value       = module.lagsnap.function_name
}

output "alias_arn" {
  description = "ARN of the live alias; `aws lambda invoke --function-name <this> out.json` runs one snapshot now."
  value       = module.lagsnap.alias_arn
}

output "log_group_name" {
  description = "CloudWatch log group of the function."
  value       = module.lagsnap.log_group_name
}

output "security_group_id" {
  description = "Security group of the function: allow ingress from it on 9098 in the MSK cluster's security group."
  value       = aws_security_group.function.id
}

output "role_arn" {
  description = "Execution role of the function."
  value       = module.lagsnap.role_arn
}

output "history_url" {
  description = "s3:// location of the JSON history; null when keep_history is false."
  value       = module.lagsnap.history_url
}

output "athena_table" {
  description = "database.table to query the history from Athena; null when keep_history is false."
  value       = module.lagsnap.glue_table
}

output "alarm_arns" {
  description = "ARNs of the Errors and missing-invocations alarms."
  value       = module.lagsnap.alarm_arns
}

output "config_toml" {
  description = "The rendered lagsnap config, for review."
  value       = local.config_toml
}
