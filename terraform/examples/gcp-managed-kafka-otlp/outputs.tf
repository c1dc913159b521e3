output "function_name" {
  description = "Name of the lagsnap Cloud Function."
  value       = module.lagsnap.function_name
}

output "pubsub_topic" {
  description = "Topic that triggers a snapshot: `gcloud pubsub topics publish <this> --message=now` runs one now (a message that is not a JSON object means no overrides)."
  value       = module.lagsnap.pubsub_topic
}

output "service_account_email" {
  description = "Runtime service account of the function (holds roles/managedkafka.client)."
  value       = module.lagsnap.service_account_email
}

output "bootstrap_servers" {
  description = "Bootstrap address of the Managed Kafka cluster used in the config."
  value       = local.bootstrap_servers
}

output "history_url" {
  description = "gs:// location of the JSON history; null when keep_history is false."
  value       = module.lagsnap.history_url
}

output "bigquery_table" {
  description = "BigQuery table over the history; null when keep_history is false."
  value       = module.lagsnap.bigquery_table
}

output "config_toml" {
  description = "The rendered lagsnap config, for review."
  value       = local.config_toml
}
