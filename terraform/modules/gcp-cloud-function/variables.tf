# ---------------------------------------------------------------------------
# Where and what
# ---------------------------------------------------------------------------

variable "project_id" {
  description = "Google Cloud project that holds every resource of this module."
  type        = string

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{4,28}[a-z0-9]$", var.project_id))
    error_message = "project_id must be a Google Cloud project ID."
  }
}

variable "region" {
  description = "Region of the function, the scheduler job, the buckets and the BigQuery dataset (e.g. europe-west1)."
  type        = string

  validation {
    condition     = can(regex("^[a-z]+-[a-z]+[0-9]+$", var.region))
    error_message = "region must be a Google Cloud region such as europe-west1."
  }
}

variable "name" {
  description = "Name of the function, its service accounts, topic and scheduler job. Lowercase letters, digits and hyphens."
  type        = string

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{1,22}[a-z0-9]$", var.name))
    error_message = "name must be 3-24 characters of lowercase letters, digits and hyphens, starting with a letter (service account IDs are at most 30 characters)."
  }
}

variable "artifact_path" {
  description = "Path to the deploy zip built by `mvn -pl gcf-adapter -am package` (gcf-adapter/target/lagsnap-gcf.zip: one fat jar at its root)."
  type        = string

  validation {
    condition     = endswith(var.artifact_path, ".zip")
    error_message = "artifact_path must point to the lagsnap-gcf.zip deploy package."
  }
}

variable "entry_point" {
  description = "Function class. The Pub/Sub trigger delivers CloudEvents, so the default is the CloudEvent function; io.lagsnap.gcf.LagsnapHttpFunction serves HTTP invokers."
  type        = string
  default     = "io.lagsnap.gcf.LagsnapCloudEventFunction"

  validation {
    condition     = can(regex("^[A-Za-z_][A-Za-z0-9_.$]*$", var.entry_point))
    error_message = "entry_point must be a fully qualified Java class name."
  }
}

variable "runtime" {
  description = "Cloud Functions runtime."
  type        = string
  default     = "java21"

  validation {
    condition     = can(regex("^java(17|21|25)$", var.runtime))
    error_message = "runtime must be a Java runtime: java17, java21 or java25."
  }
}

variable "memory" {
  description = "Memory of the function instance, e.g. \"1Gi\"."
  type        = string
  default     = "1Gi"

  validation {
    condition     = can(regex("^[0-9]+(Mi|Gi)$", var.memory))
    error_message = "memory must be a quantity such as 512Mi or 1Gi."
  }
}

variable "cpu" {
  description = "vCPUs of the function instance, e.g. \"1\"."
  type        = string
  default     = "1"

  validation {
    condition     = can(regex("^[0-9]+(\\.[0-9]+)?$", var.cpu))
    error_message = "cpu must be a number such as 0.5, 1 or 2."
  }
}

variable "timeout_seconds" {
  description = "Function timeout in seconds. Keep it above the run deadline in the config ([run] deadline)."
  type        = number
  default     = 120

  validation {
    condition     = var.timeout_seconds >= 10 && var.timeout_seconds <= 540 && floor(var.timeout_seconds) == var.timeout_seconds
    error_message = "timeout_seconds must be a whole number between 10 and 540 (the limit for event-driven functions)."
  }
}

variable "labels" {
  description = "Labels added to every resource that supports them."
  type        = map(string)
  default     = {}
}

# ---------------------------------------------------------------------------
# Configuration and secrets
# ---------------------------------------------------------------------------

variable "config_toml" {
  description = "The lagsnap config.toml text, passed in LAGSNAP_CONFIG. Strings in it may reference environment variables as $${NAME}, which is how secrets reach it."
  type        = string

  validation {
    condition     = length(trimspace(var.config_toml)) > 0
    error_message = "config_toml must not be empty."
  }
}

variable "fail_on" {
  description = "Which run outcomes fail the invocation (LAGSNAP_FAIL_ON): \"any\" (a cluster or sink failed, or the result is partial), \"nothing_delivered\" (no sink delivered anything) or \"never\" (only config errors). A failed invocation shows in the function's error metrics and logs."
  type        = string
  default     = "any"

  validation {
    condition     = contains(["any", "nothing_delivered", "never"], var.fail_on)
    error_message = "fail_on must be any, nothing_delivered or never."
  }
}

variable "environment" {
  description = "Extra environment variables of the function. LAGSNAP_CONFIG* and LAGSNAP_FAIL_ON are set by the module."
  type        = map(string)
  default     = {}

  validation {
    condition     = alltrue([for k in keys(var.environment) : can(regex("^[A-Za-z_][A-Za-z0-9_]*$", k)) && !startswith(k, "LAGSNAP_CONFIG") && k != "LAGSNAP_FAIL_ON"])
    error_message = "environment keys must be valid variable names and must not be LAGSNAP_CONFIG* or LAGSNAP_FAIL_ON."
  }
}

variable "secrets" {
  description = "Secret Manager secrets exposed as environment variables, keyed by variable name. secret is the secret ID; project_id defaults to the module's project; version defaults to latest. The function's service account may access exactly these secrets."
  type = map(object({
    secret     = string
    version    = optional(string, "latest")
    project_id = optional(string)
  }))
  default = {}

  validation {
    condition     = alltrue([for k, s in var.secrets : can(regex("^[A-Za-z_][A-Za-z0-9_]*$", k)) && can(regex("^[A-Za-z0-9_-]{1,255}$", s.secret))])
    error_message = "secrets keys must be variable names and each secret must be a bare secret ID (letters, digits, - and _)."
  }
}

# ---------------------------------------------------------------------------
# Trigger
# ---------------------------------------------------------------------------

variable "schedule" {
  description = "Cloud Scheduler cron expression (unix-cron, minute granularity)."
  type        = string
  default     = "* * * * *"

  validation {
    condition     = length(split(" ", trimspace(var.schedule))) == 5
    error_message = "schedule must be a five-field unix-cron expression."
  }
}

variable "shard_count" {
  description = "Number of shards: one Cloud Scheduler job per shard i publishes {\"shard\": \"i/N\"} on every tick, and up to N instances run side by side. Raise it when one run cannot snapshot every group within timeout_seconds."
  type        = number
  default     = 1

  validation {
    condition     = var.shard_count >= 1 && var.shard_count == floor(var.shard_count)
    error_message = "shard_count must be a whole number >= 1."
  }
}

variable "time_zone" {
  description = "IANA time zone of the schedule."
  type        = string
  default     = "Etc/UTC"
}

variable "schedule_enabled" {
  description = "Whether the scheduler job runs. Pause it to stop snapshots without destroying anything."
  type        = bool
  default     = true
}

# ---------------------------------------------------------------------------
# Network
# ---------------------------------------------------------------------------

variable "vpc_connector" {
  description = "ID of an existing Serverless VPC Access connector (projects/P/locations/R/connectors/N) to reach private brokers and sinks. Null with create_vpc_connector null means no VPC access."
  type        = string
  default     = null
}

variable "create_vpc_connector" {
  description = "Create a Serverless VPC Access connector instead of using vpc_connector: name (at most 25 characters), network, an unused /28 ip_cidr_range, instance bounds."
  type = object({
    name          = string
    network       = string
    ip_cidr_range = string
    min_instances = optional(number, 2)
    max_instances = optional(number, 3)
    machine_type  = optional(string, "e2-micro")
  })
  default = null

  validation {
    condition     = var.create_vpc_connector == null || can(regex("^[a-z][-a-z0-9]{0,23}[a-z0-9]$", var.create_vpc_connector.name))
    error_message = "create_vpc_connector.name must be 2-25 lowercase letters, digits or hyphens."
  }

  validation {
    condition     = var.create_vpc_connector == null || can(regex("/28$", var.create_vpc_connector.ip_cidr_range))
    error_message = "create_vpc_connector.ip_cidr_range must be a /28 range."
  }
}

variable "vpc_egress" {
  description = "Which egress goes through the VPC connector: PRIVATE_RANGES_ONLY or ALL_TRAFFIC."
  type        = string
  default     = "PRIVATE_RANGES_ONLY"

  validation {
    condition     = contains(["PRIVATE_RANGES_ONLY", "ALL_TRAFFIC"], var.vpc_egress)
    error_message = "vpc_egress must be PRIVATE_RANGES_ONLY or ALL_TRAFFIC."
  }
}

variable "managed_kafka_client" {
  description = "Grant the function's service account roles/managedkafka.client on the project, for Google Cloud Managed Service for Apache Kafka with IAM (OAUTHBEARER) authentication."
  type        = bool
  default     = false
}

variable "build_service_account" {
  description = "Full resource name of the service account Cloud Build uses to build the function (projects/P/serviceAccounts/EMAIL). Null uses the project's default build service account."
  type        = string
  default     = null
}

# ---------------------------------------------------------------------------
# History in GCS, BigQuery external table
# ---------------------------------------------------------------------------

variable "history_bucket_name" {
  description = "Bucket of the JSON history (the object_store sink). Null disables every history permission and resource."
  type        = string
  default     = null

  validation {
    condition     = var.history_bucket_name == null || can(regex("^[a-z0-9][a-z0-9._-]{1,61}[a-z0-9]$", var.history_bucket_name))
    error_message = "history_bucket_name must be a valid Cloud Storage bucket name."
  }
}

variable "create_history_bucket" {
  description = "Create history_bucket_name (uniform access, public access prevented, with a lifecycle rule) instead of using an existing bucket."
  type        = bool
  default     = false
}

variable "history_prefix" {
  description = "Object prefix of the history inside the bucket, without leading or trailing slash. The service account may create and replace objects only below it."
  type        = string
  default     = "lagsnap"

  validation {
    condition     = can(regex("^[A-Za-z0-9_.-]+(/[A-Za-z0-9_.-]+)*$", var.history_prefix))
    error_message = "history_prefix must be non-empty, without leading or trailing slash or empty segments."
  }
}

variable "history_retention_days" {
  description = "Days after which history objects are deleted (lifecycle rule of a bucket this module creates)."
  type        = number
  default     = 90

  validation {
    condition     = var.history_retention_days >= 1 && floor(var.history_retention_days) == var.history_retention_days
    error_message = "history_retention_days must be a whole number of at least 1."
  }
}

variable "create_bigquery_table" {
  description = "Create a BigQuery external table over the history, hive-partitioned on cluster, dt and hour."
  type        = bool
  default     = false
}

variable "create_bigquery_dataset" {
  description = "Create bigquery_dataset_id as well; false uses an existing dataset."
  type        = bool
  default     = true
}

variable "bigquery_dataset_id" {
  description = "BigQuery dataset of the history table."
  type        = string
  default     = "lagsnap"

  validation {
    condition     = can(regex("^[A-Za-z0-9_]{1,1024}$", var.bigquery_dataset_id))
    error_message = "bigquery_dataset_id must be letters, digits and underscores."
  }
}

variable "bigquery_table_id" {
  description = "ID of the BigQuery external table over the history."
  type        = string
  default     = "lag_history"

  validation {
    condition     = can(regex("^[A-Za-z0-9_]{1,1024}$", var.bigquery_table_id))
    error_message = "bigquery_table_id must be letters, digits and underscores."
  }
}

variable "bigquery_require_partition_filter" {
  description = "Require queries on the history table to filter on a partition key (cluster, dt or hour), so a query never scans the whole history."
  type        = bool
  default     = true
}

variable "bigquery_deletion_protection" {
  description = "Protect the BigQuery table from terraform destroy."
  type        = bool
  default     = true
}
