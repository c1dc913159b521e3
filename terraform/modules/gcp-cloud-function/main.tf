locals {
  history_enabled = var.history_bucket_name != null
  history_bucket  = var.create_history_bucket ? google_storage_bucket.history[0].name : var.history_bucket_name
  history_url     = local.history_enabled ? "gs://${var.history_bucket_name}/${var.history_prefix}" : null

  vpc_connector = var.create_vpc_connector != null ? google_vpc_access_connector.this[0].id : var.vpc_connector

  environment = merge(var.environment, {
    LAGSNAP_CONFIG  = var.config_toml
    LAGSNAP_FAIL_ON = var.fail_on
  })
}

# ---------------------------------------------------------------------------
# Source upload: the zip holds one fat jar at its root, which the Java
# buildpack runs as is. The object name carries the zip's hash, so a new
# build redeploys the function.
# ---------------------------------------------------------------------------

resource "google_storage_bucket" "source" {
  project                     = var.project_id
  name                        = "${var.name}-src-${substr(sha1(var.project_id), 0, 8)}"
  location                    = var.region
  uniform_bucket_level_access = true
  public_access_prevention    = "enforced"
  force_destroy               = true
  labels                      = var.labels

  lifecycle_rule {
    condition {
      age = 30
    }

    action {
      type = "Delete"
    }
  }
}

resource "google_storage_bucket_object" "source" {
  name   = "${var.name}/lagsnap-gcf-${filemd5(var.artifact_path)}.zip"
  bucket = google_storage_bucket.source.name
  source = var.artifact_path
}

# ---------------------------------------------------------------------------
# Optional VPC connector
# ---------------------------------------------------------------------------

resource "google_vpc_access_connector" "this" {
  count = var.create_vpc_connector == null ? 0 : 1

  project       = var.project_id
  region        = var.region
  name          = var.create_vpc_connector.name
  network       = var.create_vpc_connector.network
  ip_cidr_range = var.create_vpc_connector.ip_cidr_range
  min_instances = var.create_vpc_connector.min_instances
  max_instances = var.create_vpc_connector.max_instances
  machine_type  = var.create_vpc_connector.machine_type
}

# ---------------------------------------------------------------------------
# Cloud Scheduler -> Pub/Sub -> function
# ---------------------------------------------------------------------------

resource "google_pubsub_topic" "trigger" {
  project                    = var.project_id
  name                       = "${var.name}-trigger"
  message_retention_duration = "600s"
  labels                     = var.labels
}

# One job per shard: each run collects one shard of the groups ({"shard": "i/N"}, see shard_count).
resource "google_cloud_scheduler_job" "this" {
  count = var.shard_count

  project     = var.project_id
  region      = var.region
  name        = var.shard_count == 1 ? var.name : "${var.name}-shard-${count.index}"
  description = "Triggers one lagsnap snapshot (shard ${count.index}/${var.shard_count})"
  schedule    = var.schedule
  time_zone   = var.time_zone
  paused      = !var.schedule_enabled

  # A late snapshot is worse than none: the next tick takes a fresh one.
  retry_config {
    retry_count = 0
  }

  pubsub_target {
    topic_name = google_pubsub_topic.trigger.id
    data       = base64encode(jsonencode(merge({ source = "lagsnap.schedule", schedule = var.name }, var.shard_count == 1 ? {} : { shard = "${count.index}/${var.shard_count}" })))
  }
}

moved {
  from = google_cloud_scheduler_job.this
  to   = google_cloud_scheduler_job.this[0]
}

resource "google_cloudfunctions2_function" "this" {
  project     = var.project_id
  location    = var.region
  name        = var.name
  description = "lagsnap: one Kafka consumer-group lag snapshot per invocation"
  labels      = var.labels

  build_config {
    runtime         = var.runtime
    entry_point     = var.entry_point
    service_account = var.build_service_account

    source {
      storage_source {
        bucket = google_storage_bucket.source.name
        object = google_storage_bucket_object.source.name
      }
    }
  }

  service_config {
    available_memory                 = var.memory
    available_cpu                    = var.cpu
    timeout_seconds                  = var.timeout_seconds
    min_instance_count               = 0
    max_instance_count               = var.shard_count # the shards of one tick run side by side
    max_instance_request_concurrency = 1
    ingress_settings                 = "ALLOW_INTERNAL_ONLY"
    all_traffic_on_latest_revision   = true
    service_account_email            = google_service_account.function.email
    vpc_connector                    = local.vpc_connector
    vpc_connector_egress_settings    = local.vpc_connector == null ? null : var.vpc_egress
    environment_variables            = local.environment

    dynamic "secret_environment_variables" {
      for_each = var.secrets

      content {
        key        = secret_environment_variables.key
        project_id = coalesce(secret_environment_variables.value.project_id, var.project_id)
        secret     = secret_environment_variables.value.secret
        version    = secret_environment_variables.value.version
      }
    }
  }

  event_trigger {
    trigger_region        = var.region
    event_type            = "google.cloud.pubsub.topic.v1.messagePublished"
    pubsub_topic          = google_pubsub_topic.trigger.id
    retry_policy          = "RETRY_POLICY_DO_NOT_RETRY"
    service_account_email = google_service_account.trigger.email
  }

  lifecycle {
    precondition {
      condition     = var.vpc_connector == null || var.create_vpc_connector == null
      error_message = "Set either vpc_connector or create_vpc_connector, not both."
    }
  }

  depends_on = [
    google_secret_manager_secret_iam_member.function,
    google_storage_bucket_iam_member.history_writer,
  ]
}
