variable "project_id" {
  description = "Google Cloud project of the Managed Kafka cluster and of every resource of this example."
  type        = string

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{4,28}[a-z0-9]$", var.project_id))
    error_message = "project_id must be a Google Cloud project ID."
  }
}

variable "region" {
  description = "Region of the Managed Kafka cluster and of the function."
  type        = string

  validation {
    condition     = can(regex("^[a-z]+-[a-z]+[0-9]+$", var.region))
    error_message = "region must be a Google Cloud region such as europe-west1."
  }
}

variable "name" {
  description = "Name of the function and prefix of the other resources."
  type        = string
  default     = "lagsnap"

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{1,22}[a-z0-9]$", var.name))
    error_message = "name must be 3-24 lowercase letters, digits or hyphens."
  }
}

variable "artifact_path" {
  description = "Path to lagsnap-gcf.zip. Null uses gcf-adapter/target/lagsnap-gcf.zip of this repository."
  type        = string
  default     = null
}

variable "kafka_cluster_id" {
  description = "ID of the Managed Service for Apache Kafka cluster (the last part of projects/P/locations/R/clusters/ID)."
  type        = string

  validation {
    condition     = can(regex("^[a-z]([a-z0-9-]{0,61}[a-z0-9])?$", var.kafka_cluster_id))
    error_message = "kafka_cluster_id must be a Managed Kafka cluster ID."
  }
}

variable "cluster_label" {
  description = "cluster_name label of the metrics and cluster partition of the history. Null uses kafka_cluster_id."
  type        = string
  default     = null
}

variable "kafka_consumer_properties" {
  description = "Kafka client properties of the cluster. The default authenticates with the function's service account through Google's OAUTHBEARER login handler (class com.google.cloud.hosted.kafka.auth.GcpLoginCallbackHandler, which the function artifact must contain)."
  type        = map(string)
  default = {
    "security.protocol"                 = "SASL_SSL"
    "sasl.mechanism"                    = "OAUTHBEARER"
    "sasl.login.callback.handler.class" = "com.google.cloud.hosted.kafka.auth.GcpLoginCallbackHandler"
    "sasl.jaas.config"                  = "org.apache.kafka.common.security.oauthbearer.OAuthBearerLoginModule required;"
  }
}

variable "network" {
  description = "VPC network (name or self link) in which the Managed Kafka cluster is reachable; a VPC connector is created in it."
  type        = string
}

variable "connector_cidr" {
  description = "Unused /28 range of the network for the Serverless VPC Access connector."
  type        = string
  default     = "10.8.0.0/28"

  validation {
    condition     = can(cidrhost(var.connector_cidr, 0)) && endswith(var.connector_cidr, "/28")
    error_message = "connector_cidr must be a /28 CIDR range."
  }
}

variable "otlp_endpoint" {
  description = "OTLP endpoint lagsnap pushes metrics to, e.g. an OpenTelemetry Collector in the VPC: http://otel-collector.internal:4318."
  type        = string

  validation {
    condition     = can(regex("^https?://", var.otlp_endpoint))
    error_message = "otlp_endpoint must be an http:// or https:// URL."
  }
}

variable "otlp_protocol" {
  description = "OTLP transport: http/protobuf or grpc."
  type        = string
  default     = "http/protobuf"

  validation {
    condition     = contains(["http/protobuf", "grpc"], var.otlp_protocol)
    error_message = "otlp_protocol must be http/protobuf or grpc."
  }
}

variable "schedule" {
  description = "Cloud Scheduler cron expression of the snapshots."
  type        = string
  default     = "* * * * *"

  validation {
    condition     = length(split(" ", trimspace(var.schedule))) == 5
    error_message = "schedule must be a five-field unix-cron expression."
  }
}

variable "run_deadline_seconds" {
  description = "The config's run deadline in seconds; the function timeout is this plus 30."
  type        = number
  default     = 60

  validation {
    condition     = var.run_deadline_seconds >= 10 && var.run_deadline_seconds <= 510
    error_message = "run_deadline_seconds must be between 10 and 510 (event-driven functions time out after at most 540 s)."
  }
}

variable "granularity" {
  description = "Metric granularity: topic or partition."
  type        = string
  default     = "topic"

  validation {
    condition     = contains(["topic", "partition"], var.granularity)
    error_message = "granularity must be topic or partition."
  }
}

variable "keep_history" {
  description = "Also write the JSON history to a new GCS bucket and create a BigQuery external table over it."
  type        = bool
  default     = true
}

variable "labels" {
  description = "Labels of every resource."
  type        = map(string)
  default     = {}
}
