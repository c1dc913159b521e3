variable "name" {
  description = "Name of the CronJob, ConfigMap and ServiceAccount. Lowercase letters, digits and hyphens (at most 52: Kubernetes appends a suffix to Job names)."
  type        = string

  validation {
    condition     = can(regex("^[a-z0-9]([a-z0-9-]{0,50}[a-z0-9])?$", var.name))
    error_message = "name must be 1-52 lowercase letters, digits or hyphens, starting and ending with a letter or digit."
  }
}

variable "namespace" {
  description = "Namespace of every object. It must exist unless create_namespace is true; Secrets referenced below must live in it."
  type        = string

  validation {
    condition     = can(regex("^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$", var.namespace))
    error_message = "namespace must be a valid Kubernetes namespace name."
  }
}

variable "create_namespace" {
  description = "Create the namespace."
  type        = bool
  default     = false
}

variable "image" {
  description = "lagsnap container image (the cronjob module's image), pinned by tag or digest, e.g. registry.example/lagsnap:0.1.0."
  type        = string

  validation {
    condition     = length(trimspace(var.image)) > 0 && !endswith(var.image, ":latest")
    error_message = "image must be set and pinned (not :latest)."
  }
}

variable "image_pull_policy" {
  description = "Image pull policy of the container."
  type        = string
  default     = "IfNotPresent"

  validation {
    condition     = contains(["Always", "IfNotPresent", "Never"], var.image_pull_policy)
    error_message = "image_pull_policy must be Always, IfNotPresent or Never."
  }
}

variable "image_pull_secrets" {
  description = "Names of Secrets in the namespace used to pull the image."
  type        = list(string)
  default     = []
}

variable "schedule" {
  description = "Cron schedule of the CronJob (five fields)."
  type        = string
  default     = "* * * * *"

  validation {
    condition     = length(split(" ", trimspace(var.schedule))) == 5 || startswith(var.schedule, "@")
    error_message = "schedule must be a five-field cron expression or a macro such as @hourly."
  }
}

variable "timezone" {
  description = "IANA time zone of the schedule (CronJob timeZone, Kubernetes 1.27+)."
  type        = string
  default     = "Etc/UTC"
}

variable "suspend" {
  description = "Suspend the CronJob: no new snapshots until it is resumed."
  type        = bool
  default     = false
}

variable "config_toml" {
  description = "The lagsnap config.toml text, stored in a ConfigMap and mounted at /etc/lagsnap/config.toml. Strings in it may reference environment variables as $${NAME}, which is how secrets reach it."
  type        = string

  validation {
    condition     = length(trimspace(var.config_toml)) > 0
    error_message = "config_toml must not be empty."
  }
}

variable "run_deadline_seconds" {
  description = "The run deadline the config sets ([run] deadline, in seconds). The Job's activeDeadlineSeconds is this plus deadline_margin_seconds, so Kubernetes only kills a run that lagsnap itself failed to end."
  type        = number
  default     = 60

  validation {
    condition     = var.run_deadline_seconds >= 5 && floor(var.run_deadline_seconds) == var.run_deadline_seconds
    error_message = "run_deadline_seconds must be a whole number of at least 5."
  }
}

variable "deadline_margin_seconds" {
  description = "Seconds added to run_deadline_seconds for the Job's activeDeadlineSeconds: image pull, JVM start and shutdown."
  type        = number
  default     = 60

  validation {
    condition     = var.deadline_margin_seconds >= 10 && floor(var.deadline_margin_seconds) == var.deadline_margin_seconds
    error_message = "deadline_margin_seconds must be a whole number of at least 10."
  }
}

variable "starting_deadline_seconds" {
  description = "How late a missed run may still start. Keep it below the schedule interval: a late snapshot is worth less than the next one."
  type        = number
  default     = 30

  validation {
    condition     = var.starting_deadline_seconds >= 10 && floor(var.starting_deadline_seconds) == var.starting_deadline_seconds
    error_message = "starting_deadline_seconds must be a whole number of at least 10 (the CronJob controller checks every 10 s)."
  }
}

variable "successful_jobs_history_limit" {
  description = "Finished successful Jobs to keep."
  type        = number
  default     = 3

  validation {
    condition     = var.successful_jobs_history_limit >= 0 && floor(var.successful_jobs_history_limit) == var.successful_jobs_history_limit
    error_message = "successful_jobs_history_limit must be a whole number of at least 0."
  }
}

variable "failed_jobs_history_limit" {
  description = "Finished failed Jobs to keep for inspection."
  type        = number
  default     = 3

  validation {
    condition     = var.failed_jobs_history_limit >= 0 && floor(var.failed_jobs_history_limit) == var.failed_jobs_history_limit
    error_message = "failed_jobs_history_limit must be a whole number of at least 0."
  }
}

variable "backoff_limit" {
  description = "Retries of a failed pod within one Job; when sharded, per index (backoffLimitPerIndex: a failing shard does not stop the others). 0 leaves the retry to the next schedule tick."
  type        = number
  default     = 0

  validation {
    condition     = var.backoff_limit >= 0 && floor(var.backoff_limit) == var.backoff_limit
    error_message = "backoff_limit must be a whole number of at least 0."
  }
}

variable "shard_count" {
  description = "Number of shards. 1 runs a plain Job; more runs an Indexed Job with that many pods in parallel: each gets JOB_COMPLETION_INDEX from Kubernetes and LAGSNAP_SHARD_COUNT from this module, and takes its share of the groups."
  type        = number
  default     = 1

  validation {
    condition     = var.shard_count >= 1 && var.shard_count <= 100 && floor(var.shard_count) == var.shard_count
    error_message = "shard_count must be a whole number between 1 and 100."
  }
}

variable "env" {
  description = "Extra plain environment variables of the container."
  type        = map(string)
  default     = {}

  validation {
    condition     = alltrue([for k in keys(var.env) : can(regex("^[A-Za-z_][A-Za-z0-9_]*$", k)) && !contains(["JOB_COMPLETION_INDEX", "LAGSNAP_SHARD_COUNT"], k)])
    error_message = "env keys must be valid variable names other than JOB_COMPLETION_INDEX and LAGSNAP_SHARD_COUNT."
  }
}

variable "secret_env" {
  description = "Environment variables taken from Secrets in the namespace, keyed by variable name: secret_name and key of the Secret, optional = true to tolerate a missing key."
  type = map(object({
    secret_name = string
    key         = string
    optional    = optional(bool, false)
  }))
  default = {}

  validation {
    condition     = alltrue([for k in keys(var.secret_env) : can(regex("^[A-Za-z_][A-Za-z0-9_]*$", k))])
    error_message = "secret_env keys must be valid environment variable names."
  }
}

variable "secret_volumes" {
  description = "Secrets mounted read-only as files, keyed by volume name: secret_name and mount_path (outside /etc/lagsnap), e.g. a cluster CA certificate for ssl.truststore.location."
  type = map(object({
    secret_name = string
    mount_path  = string
  }))
  default = {}

  validation {
    condition     = alltrue([for v in values(var.secret_volumes) : startswith(v.mount_path, "/") && !startswith(v.mount_path, "/etc/lagsnap") && v.mount_path != "/tmp"])
    error_message = "secret_volumes mount paths must be absolute and outside /etc/lagsnap and /tmp."
  }

  validation {
    condition     = alltrue([for k in keys(var.secret_volumes) : can(regex("^[a-z0-9]([a-z0-9-]{0,50}[a-z0-9])?$", k)) && !contains(["config", "tmp"], k)])
    error_message = "secret_volumes keys are volume names: lowercase letters, digits and hyphens, not config or tmp."
  }
}

variable "java_tool_options" {
  description = "JAVA_TOOL_OPTIONS of the container. The default favours a fast start of a short one-shot run and sizes the heap from the memory limit."
  type        = string
  default     = "-XX:+UseSerialGC -XX:TieredStopAtLevel=1 -XX:MaxRAMPercentage=75"
}

variable "resources" {
  description = "CPU and memory requests and the memory limit of the container."
  type = object({
    requests_cpu    = optional(string, "250m")
    requests_memory = optional(string, "512Mi")
    limits_memory   = optional(string, "768Mi")
  })
  default = {}
}

variable "create_service_account" {
  description = "Create a dedicated ServiceAccount (without an API token: lagsnap never calls the Kubernetes API)."
  type        = bool
  default     = true
}

variable "service_account_name" {
  description = "ServiceAccount the pods run as when create_service_account is false. Null uses the module name."
  type        = string
  default     = null
}

variable "service_account_annotations" {
  description = "Annotations of the created ServiceAccount, e.g. eks.amazonaws.com/role-arn or iam.gke.io/gcp-service-account for cloud sinks."
  type        = map(string)
  default     = {}
}

variable "node_selector" {
  description = "Node selector of the pods."
  type        = map(string)
  default     = {}
}

variable "labels" {
  description = "Labels added to every object and to the pods."
  type        = map(string)
  default     = {}
}
