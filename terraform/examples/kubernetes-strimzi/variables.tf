variable "kubeconfig_path" {
  description = "Path to the kubeconfig file Terraform uses to reach the cluster."
  type        = string
  default     = "~/.kube/config"
}

variable "kubeconfig_context" {
  description = "kubeconfig context to use. Null uses the current context."
  type        = string
  default     = null
}

variable "name" {
  description = "Name of the CronJob, its ConfigMap and ServiceAccount, and of the KafkaUser."
  type        = string
  default     = "lagsnap"

  validation {
    condition     = can(regex("^[a-z0-9]([a-z0-9-]{0,50}[a-z0-9])?$", var.name))
    error_message = "name must be 1-52 lowercase letters, digits or hyphens."
  }
}

variable "image" {
  description = "lagsnap container image, pinned by tag or digest (built from the cronjob module)."
  type        = string

  validation {
    condition     = length(trimspace(var.image)) > 0 && !endswith(var.image, ":latest")
    error_message = "image must be set and pinned (not :latest)."
  }
}

variable "kafka_cluster_name" {
  description = "Name of the Strimzi Kafka resource (its metadata.name)."
  type        = string

  validation {
    condition     = can(regex("^[a-z0-9]([a-z0-9-]*[a-z0-9])?$", var.kafka_cluster_name))
    error_message = "kafka_cluster_name must be a Kubernetes resource name."
  }
}

variable "kafka_namespace" {
  description = "Namespace of the Strimzi Kafka cluster. lagsnap runs there too, since it mounts the cluster CA and user Secrets that Strimzi creates in it."
  type        = string
  default     = "kafka"

  validation {
    condition     = can(regex("^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$", var.kafka_namespace))
    error_message = "kafka_namespace must be a Kubernetes namespace name."
  }
}

variable "listener_port" {
  description = "Port of the Strimzi listener lagsnap connects to (9093 for the usual internal TLS listener)."
  type        = number
  default     = 9093

  validation {
    condition     = var.listener_port >= 1 && var.listener_port <= 65535
    error_message = "listener_port must be a TCP port."
  }
}

variable "listener_tls" {
  description = "Whether the listener uses TLS (the cluster CA from <cluster>-cluster-ca-cert is then trusted)."
  type        = bool
  default     = true
}

variable "create_kafka_user" {
  description = "Create a KafkaUser with SCRAM-SHA-512 authentication and the read-only ACLs lagsnap needs (the Strimzi User Operator must be running). False expects a Secret named like the user with a sasl.jaas.config key."
  type        = bool
  default     = true
}

variable "kafka_user_secret" {
  description = "Secret holding the user's sasl.jaas.config key. Null uses the Secret the User Operator creates for the KafkaUser (named like it)."
  type        = string
  default     = null
}

variable "pushgateway_url" {
  description = "URL of the Prometheus Pushgateway inside the cluster."
  type        = string
  default     = "http://prometheus-pushgateway.monitoring.svc:9091"

  validation {
    condition     = can(regex("^https?://", var.pushgateway_url))
    error_message = "pushgateway_url must be an http:// or https:// URL."
  }
}

variable "pushgateway_job" {
  description = "Pushgateway job label of the pushed group."
  type        = string
  default     = "lagsnap"
}

variable "schedule" {
  description = "Cron schedule of the snapshots."
  type        = string
  default     = "* * * * *"

  validation {
    condition     = length(split(" ", trimspace(var.schedule))) == 5 || startswith(var.schedule, "@")
    error_message = "schedule must be a five-field cron expression or a macro such as @hourly."
  }
}

variable "run_deadline_seconds" {
  description = "The config's run deadline in seconds; the Job's activeDeadlineSeconds adds a margin to it."
  type        = number
  default     = 45

  validation {
    condition     = var.run_deadline_seconds >= 5 && var.run_deadline_seconds <= 3600
    error_message = "run_deadline_seconds must be between 5 and 3600."
  }
}

variable "shard_count" {
  description = "Number of parallel shards (an Indexed Job when above 1), for clusters with very many groups."
  type        = number
  default     = 1

  validation {
    condition     = var.shard_count >= 1 && var.shard_count <= 100 && floor(var.shard_count) == var.shard_count
    error_message = "shard_count must be a whole number between 1 and 100."
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
