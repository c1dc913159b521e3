output "function_name" {
  description = "Name of the Cloud Function (2nd gen)."
  value       = google_cloudfunctions2_function.this.name
}

output "function_id" {
  description = "Full resource ID of the function."
  value       = google_cloudfunctions2_function.this.id
}

output "function_uri" {
  description = "URI of the function's Cloud Run service (internal ingress only)."
  value       = google_cloudfunctions2_function.this.service_config[0].uri
}

output "service_account_email" {
  description = "Email of the function's runtime service account, for granting it access to sinks."
  value       = google_service_account.function.email
}

output "trigger_service_account_email" {
  description = "Email of the service account the Pub/Sub trigger invokes the function as."
  value       = google_service_account.trigger.email
}

output "pubsub_topic" {
  description = "ID of the Pub/Sub topic that triggers a snapshot. A message that is not a JSON object (e.g. `gcloud pubsub topics publish TOPIC --message=now`) runs one snapshot of everything with no overrides; `{\"shard\": \"0/4\"}` or `{\"clusters\": [\"a\"]}` narrows it."
  value       = google_pubsub_topic.trigger.id
}

output "scheduler_jobs" {
  description = "IDs of the Cloud Scheduler jobs, one per shard (shard_count)."
  value       = google_cloud_scheduler_job.this[*].id
}

output "source_bucket" {
  description = "Bucket holding the uploaded deploy zip."
  value       = google_storage_bucket.source.name
}

output "vpc_connector" {
  description = "VPC connector the function uses; null without VPC access."
  value       = local.vpc_connector
}

output "history_url" {
  description = "gs://bucket/prefix of the JSON history, for the object_store sink's url; null when no history bucket is set."
  value       = local.history_url
}

output "bigquery_table" {
  description = "project.dataset.table of the BigQuery history table; null when create_bigquery_table is false."
  value       = var.create_bigquery_table ? "${var.project_id}.${google_bigquery_table.history[0].dataset_id}.${google_bigquery_table.history[0].table_id}" : null
}
