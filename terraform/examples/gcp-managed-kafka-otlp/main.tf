provider "google" {
  project = var.project_id
  region  = var.region
}

locals {
  artifact_path     = coalesce(var.artifact_path, "${path.module}/../../../gcf-adapter/target/lagsnap-gcf.zip")
  cluster_label     = coalesce(var.cluster_label, var.kafka_cluster_id)
  bootstrap_servers = "bootstrap.${var.kafka_cluster_id}.${var.region}.managedkafka.${var.project_id}.cloud.goog:9092"
  history_bucket    = var.keep_history ? "${var.name}-history-${var.project_id}" : null
  history_prefix    = "lagsnap"

  config_toml = templatefile("${path.module}/config.toml.tftpl", {
    run_deadline        = "${var.run_deadline_seconds}s"
    granularity         = var.granularity
    cluster_name        = local.cluster_label
    bootstrap_servers   = local.bootstrap_servers
    consumer_properties = var.kafka_consumer_properties
    otlp_endpoint       = var.otlp_endpoint
    otlp_protocol       = var.otlp_protocol
    history_url         = var.keep_history ? "gs://${local.history_bucket}/${local.history_prefix}" : ""
  })
}

module "lagsnap" {
  source = "../../modules/gcp-cloud-function"

  project_id      = var.project_id
  region          = var.region
  name            = var.name
  artifact_path   = local.artifact_path
  timeout_seconds = var.run_deadline_seconds + 30
  config_toml     = local.config_toml
  schedule        = var.schedule

  managed_kafka_client = true

  create_vpc_connector = {
    name          = "${substr(var.name, 0, 20)}-vpc"
    network       = var.network
    ip_cidr_range = var.connector_cidr
  }

  history_bucket_name   = local.history_bucket
  create_history_bucket = var.keep_history
  history_prefix        = local.history_prefix
  create_bigquery_table = var.keep_history

  labels = var.labels
}
