output "cron_job_name" {
  description = "Name of the CronJob; `kubectl -n <namespace> create job --from=cronjob/<name> <name>-now` runs a snapshot now."
  value       = module.lagsnap.cron_job_name
}

output "namespace" {
  description = "Namespace lagsnap runs in (the Kafka cluster's)."
  value       = module.lagsnap.namespace
}

output "bootstrap_servers" {
  description = "Bootstrap address used in the config."
  value       = local.bootstrap_servers
}

output "kafka_user_secret" {
  description = "Secret whose sasl.jaas.config key authenticates lagsnap."
  value       = local.user_secret
}

output "completion_mode" {
  description = "Indexed when sharded, NonIndexed otherwise."
  value       = module.lagsnap.completion_mode
}

output "config_toml" {
  description = "The rendered lagsnap config, for review (holds no secret)."
  value       = local.config_toml
}
