# ---------------------------------------------------------------------------
# JSON history bucket (optional) and the uploaded config (config_delivery = "s3")
# ---------------------------------------------------------------------------

resource "aws_s3_bucket" "history" {
  count = var.create_history_bucket ? 1 : 0

  bucket = var.history_bucket_name
  tags   = var.tags

  lifecycle {
    precondition {
      condition     = var.history_bucket_name != null
      error_message = "create_history_bucket = true needs history_bucket_name."
    }
  }
}

resource "aws_s3_bucket_public_access_block" "history" {
  count = var.create_history_bucket ? 1 : 0

  bucket                  = aws_s3_bucket.history[0].id
  block_public_acls       = true
  block_public_policy     = true
  ignore_public_acls      = true
  restrict_public_buckets = true
}

resource "aws_s3_bucket_ownership_controls" "history" {
  count = var.create_history_bucket ? 1 : 0

  bucket = aws_s3_bucket.history[0].id

  rule {
    object_ownership = "BucketOwnerEnforced"
  }
}

resource "aws_s3_bucket_server_side_encryption_configuration" "history" {
  count = var.create_history_bucket ? 1 : 0

  bucket = aws_s3_bucket.history[0].id

  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm     = var.history_kms_key_arn == null ? "AES256" : "aws:kms"
      kms_master_key_id = var.history_kms_key_arn
    }

    bucket_key_enabled = var.history_kms_key_arn != null
  }
}

resource "aws_s3_bucket_lifecycle_configuration" "history" {
  count = var.create_history_bucket ? 1 : 0

  bucket = aws_s3_bucket.history[0].id

  rule {
    id     = "expire-lagsnap-history"
    status = "Enabled"

    filter {
      prefix = "${var.history_prefix}/"
    }

    expiration {
      days = var.history_retention_days
    }

    abort_incomplete_multipart_upload {
      days_after_initiation = 1
    }
  }
}

resource "aws_s3_object" "config" {
  count = local.history_enabled && var.config_delivery == "s3" ? 1 : 0

  bucket       = var.create_history_bucket ? aws_s3_bucket.history[0].id : var.history_bucket_name
  key          = local.config_s3_key
  content      = var.config_toml
  content_type = "application/toml"
  kms_key_id   = var.history_kms_key_arn
  tags         = var.tags

  depends_on = [aws_s3_bucket_server_side_encryption_configuration.history]
}

# ---------------------------------------------------------------------------
# Glue table over the history, queried from Athena with partition projection:
# prefix/cluster=NAME/dt=YYYY-MM-DD/hour=HH/lagsnap-<time>-<runid>.ndjson.gz
# ---------------------------------------------------------------------------

locals {
  # One row per group-partition. "cluster" is not listed: it is the first partition key.
  history_columns = [
    { name = "snapshot_time", type = "string" },
    { name = "group", type = "string" },
    { name = "group_state", type = "string" },
    { name = "topic", type = "string" },
    { name = "partition", type = "int" },
    { name = "committed_offset", type = "bigint" },
    { name = "low_watermark", type = "bigint" },
    { name = "high_watermark", type = "bigint" },
    { name = "lag", type = "bigint" },
    { name = "lag_seconds", type = "double" },
    { name = "sampled_offset", type = "bigint" },
    { name = "sampled_timestamp", type = "string" },
    { name = "member_host", type = "string" },
    { name = "consumer_id", type = "string" },
    { name = "client_id", type = "string" },
    { name = "messages_lost", type = "bigint" },
    { name = "retention_margin", type = "bigint" },
    { name = "lag_retention_ratio", type = "double" },
    { name = "compaction_detected", type = "boolean" },
    { name = "data_loss_detected", type = "boolean" },
    { name = "group_type", type = "string" },
    { name = "last_stable_offset", type = "bigint" },
    { name = "lag_committed", type = "bigint" },
    { name = "lag_source", type = "string" },
    { name = "lag_isolation", type = "string" },
    { name = "lag_if_reset", type = "bigint" },
    { name = "status", type = "string" },
    { name = "consume_rate", type = "double" },
    { name = "produce_rate", type = "double" },
    { name = "eta_seconds", type = "double" },
  ]

  # Typed like sinks/object-store/ddl/athena.sql, so hour >= 22 compares numbers there and here alike.
  history_partition_keys = [
    { name = "cluster", type = "string" },
    { name = "dt", type = "string" },
    { name = "hour", type = "int" },
  ]

  history_location = "s3://${coalesce(var.history_bucket_name, "-")}/${var.history_prefix}"

  # Enum projection when the cluster names are known; injected (filter with cluster = '...') otherwise.
  cluster_projection = merge(
    { "projection.cluster.type" = length(var.glue_cluster_names) > 0 ? "enum" : "injected" },
    length(var.glue_cluster_names) > 0 ? { "projection.cluster.values" = join(",", var.glue_cluster_names) } : {},
  )
}

resource "aws_glue_catalog_database" "this" {
  count = var.create_glue_table && var.create_glue_database ? 1 : 0

  name        = var.glue_database_name
  description = "lagsnap consumer-group lag history"
}

resource "aws_glue_catalog_table" "history" {
  count = var.create_glue_table ? 1 : 0

  name          = var.glue_table_name
  database_name = var.create_glue_database ? aws_glue_catalog_database.this[0].name : var.glue_database_name
  description   = "lagsnap lag history (gzip NDJSON), one row per group-partition per snapshot"
  table_type    = "EXTERNAL_TABLE"

  parameters = merge(local.cluster_projection, {
    "EXTERNAL"                     = "TRUE"
    "classification"               = "json"
    "compressionType"              = "gzip"
    "projection.enabled"           = "true"
    "projection.dt.type"           = "date"
    "projection.dt.format"         = "yyyy-MM-dd"
    "projection.dt.range"          = "${var.glue_projection_start_date},NOW"
    "projection.dt.interval"       = "1"
    "projection.dt.interval.unit"  = "DAYS"
    "projection.hour.type"         = "integer"
    "projection.hour.range"        = "0,23"
    "projection.hour.digits"       = "2"
    "storage.location.template"    = "${local.history_location}/cluster=$${cluster}/dt=$${dt}/hour=$${hour}"
    "lagsnap.history.layout"       = "prefix/cluster=NAME/dt=YYYY-MM-DD/hour=HH/lagsnap-TIME-RUNID.ndjson.gz"
    "lagsnap.history.partitioning" = join(",", local.history_partition_keys[*].name)
  })

  dynamic "partition_keys" {
    for_each = local.history_partition_keys

    content {
      name = partition_keys.value.name
      type = partition_keys.value.type
    }
  }

  storage_descriptor {
    location      = "${local.history_location}/"
    input_format  = "org.apache.hadoop.mapred.TextInputFormat"
    output_format = "org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat"

    ser_de_info {
      name                  = "json"
      serialization_library = "org.openx.data.jsonserde.JsonSerDe"

      parameters = {
        "ignore.malformed.json" = "false"
        "case.insensitive"      = "true"
      }
    }

    dynamic "columns" {
      for_each = local.history_columns

      content {
        name = columns.value.name
        type = columns.value.type
      }
    }
  }

  lifecycle {
    precondition {
      condition     = local.history_enabled
      error_message = "create_glue_table = true needs history_bucket_name."
    }
  }
}
