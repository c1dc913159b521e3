# ---------------------------------------------------------------------------
# JSON history bucket (optional)
# ---------------------------------------------------------------------------

resource "google_storage_bucket" "history" {
  count = var.create_history_bucket ? 1 : 0

  project                     = var.project_id
  name                        = var.history_bucket_name
  location                    = var.region
  uniform_bucket_level_access = true
  public_access_prevention    = "enforced"
  labels                      = var.labels

  lifecycle_rule {
    condition {
      age            = var.history_retention_days
      matches_prefix = ["${var.history_prefix}/"]
    }

    action {
      type = "Delete"
    }
  }

  lifecycle {
    precondition {
      condition     = var.history_bucket_name != null
      error_message = "create_history_bucket = true needs history_bucket_name."
    }
  }
}

# ---------------------------------------------------------------------------
# BigQuery external table over the history, hive-partitioned like the layout
# prefix/cluster=NAME/dt=YYYY-MM-DD/hour=HH/lagsnap-<time>-<runid>.ndjson.gz
# ---------------------------------------------------------------------------

locals {
  # One row per group-partition. "cluster" is not listed: it is the first hive partition key,
  # and the row's own cluster field is skipped by ignore_unknown_values.
  history_columns = [
    { name = "snapshot_time", type = "STRING", mode = "NULLABLE" },
    { name = "group", type = "STRING", mode = "NULLABLE" },
    { name = "group_state", type = "STRING", mode = "NULLABLE" },
    { name = "topic", type = "STRING", mode = "NULLABLE" },
    { name = "partition", type = "INTEGER", mode = "NULLABLE" },
    { name = "committed_offset", type = "INTEGER", mode = "NULLABLE" },
    { name = "low_watermark", type = "INTEGER", mode = "NULLABLE" },
    { name = "high_watermark", type = "INTEGER", mode = "NULLABLE" },
    { name = "lag", type = "INTEGER", mode = "NULLABLE" },
    { name = "lag_seconds", type = "FLOAT", mode = "NULLABLE" },
    { name = "sampled_offset", type = "INTEGER", mode = "NULLABLE" },
    { name = "sampled_timestamp", type = "STRING", mode = "NULLABLE" },
    { name = "member_host", type = "STRING", mode = "NULLABLE" },
    { name = "consumer_id", type = "STRING", mode = "NULLABLE" },
    { name = "client_id", type = "STRING", mode = "NULLABLE" },
    { name = "messages_lost", type = "INTEGER", mode = "NULLABLE" },
    { name = "retention_margin", type = "INTEGER", mode = "NULLABLE" },
    { name = "lag_retention_ratio", type = "FLOAT", mode = "NULLABLE" },
    { name = "compaction_detected", type = "BOOLEAN", mode = "NULLABLE" },
    { name = "data_loss_detected", type = "BOOLEAN", mode = "NULLABLE" },
    { name = "group_type", type = "STRING", mode = "NULLABLE" },
    { name = "last_stable_offset", type = "INTEGER", mode = "NULLABLE" },
    { name = "lag_committed", type = "INTEGER", mode = "NULLABLE" },
    { name = "lag_source", type = "STRING", mode = "NULLABLE" },
    { name = "lag_isolation", type = "STRING", mode = "NULLABLE" },
    { name = "lag_if_reset", type = "INTEGER", mode = "NULLABLE" },
    { name = "status", type = "STRING", mode = "NULLABLE" },
    { name = "consume_rate", type = "FLOAT", mode = "NULLABLE" },
    { name = "produce_rate", type = "FLOAT", mode = "NULLABLE" },
    { name = "eta_seconds", type = "FLOAT", mode = "NULLABLE" },
  ]

  history_gs_prefix = "gs://${coalesce(var.history_bucket_name, "-")}/${var.history_prefix}"
}

resource "google_bigquery_dataset" "this" {
  count = var.create_bigquery_table && var.create_bigquery_dataset ? 1 : 0

  project     = var.project_id
  dataset_id  = var.bigquery_dataset_id
  location    = var.region
  description = "lagsnap consumer-group lag history"
  labels      = var.labels
}

resource "google_bigquery_table" "history" {
  count = var.create_bigquery_table ? 1 : 0

  project             = var.project_id
  dataset_id          = var.create_bigquery_dataset ? google_bigquery_dataset.this[0].dataset_id : var.bigquery_dataset_id
  table_id            = var.bigquery_table_id
  description         = "lagsnap lag history (gzip NDJSON), one row per group-partition per snapshot"
  deletion_protection = var.bigquery_deletion_protection
  labels              = var.labels

  external_data_configuration {
    autodetect            = false
    source_format         = "NEWLINE_DELIMITED_JSON"
    compression           = "GZIP"
    ignore_unknown_values = true
    source_uris           = ["${local.history_gs_prefix}/*.ndjson.gz"] # not latest.json
    schema                = jsonencode(local.history_columns)

    hive_partitioning_options {
      mode                     = "CUSTOM"
      source_uri_prefix        = "${local.history_gs_prefix}/{cluster:STRING}/{dt:DATE}/{hour:INTEGER}"
      require_partition_filter = var.bigquery_require_partition_filter
    }
  }

  lifecycle {
    precondition {
      condition     = local.history_enabled
      error_message = "create_bigquery_table = true needs history_bucket_name."
    }
  }
}
