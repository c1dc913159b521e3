output "cron_job_name" {
  description = "Name of the CronJob. Start a one-off run with: kubectl create job --from=cronjob/NAME NAME-manual -n NAMESPACE."
  value       = kubernetes_cron_job_v1.this.metadata[0].name
}

output "namespace" {
  description = "Namespace of the CronJob, ConfigMap and ServiceAccount."
  value       = local.namespace
}

output "config_map_name" {
  description = "Name of the ConfigMap holding config.toml."
  value       = kubernetes_config_map_v1.config.metadata[0].name
}

output "service_account_name" {
  description = "ServiceAccount the pods run as."
  value       = local.service_account_name
}

output "active_deadline_seconds" {
  description = "activeDeadlineSeconds of each Job: the run deadline plus the margin."
  value       = local.active_deadline_seconds
}

output "completion_mode" {
  description = "Indexed when shard_count > 1, NonIndexed otherwise."
  value       = local.sharded ? "Indexed" : "NonIndexed"
}
