variable "aws_region" {
  description = "AWS region of the MSK cluster and every resource of this example."
  type        = string

  validation {
    condition     = can(regex("^[a-z]{2}(-[a-z]+)+-[0-9]$", var.aws_region))
    error_message = "aws_region must be an AWS region such as eu-west-1."
  }
}

variable "name" {
  description = "Name of the function and prefix of the other resources."
  type        = string
  default     = "lagsnap"

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{0,22}[a-z0-9]$", var.name))
    error_message = "name must be 2-24 lowercase letters, digits or hyphens (it prefixes the history bucket name, which S3 limits to 63 characters)."
  }
}

variable "artifact_path" {
  description = "Path to lagsnap-lambda.zip. Null uses lambda-adapter/target/lagsnap-lambda.zip of this repository."
  type        = string
  default     = null
}

variable "msk_cluster_name" {
  description = "Name of the provisioned MSK cluster whose consumer groups are snapshotted. IAM authentication must be enabled on it."
  type        = string

  validation {
    condition     = can(regex("^[A-Za-z0-9][A-Za-z0-9-]{0,63}$", var.msk_cluster_name))
    error_message = "msk_cluster_name must be an MSK cluster name."
  }
}

variable "cluster_label" {
  description = "cluster_name label of the metrics and cluster partition of the history. Null uses msk_cluster_name."
  type        = string
  default     = null
}

variable "vpc_id" {
  description = "VPC of the MSK cluster; the function's security group is created in it."
  type        = string

  validation {
    condition     = can(regex("^vpc-[0-9a-f]+$", var.vpc_id))
    error_message = "vpc_id must be a VPC ID (vpc-...)."
  }
}

variable "subnet_ids" {
  description = "Private subnets of the function, with a route to the brokers, to the Pushgateway, and to S3 (a gateway endpoint or a NAT)."
  type        = list(string)

  validation {
    condition     = length(var.subnet_ids) > 0 && alltrue([for s in var.subnet_ids : can(regex("^subnet-[0-9a-f]+$", s))])
    error_message = "subnet_ids must list at least one subnet ID (subnet-...)."
  }
}

variable "pushgateway_url" {
  description = "URL of the Prometheus Pushgateway, reachable from the subnets, e.g. http://pushgateway.internal:9091."
  type        = string

  validation {
    condition     = can(regex("^https?://[^/]+(:[0-9]+)?(/.*)?$", var.pushgateway_url))
    error_message = "pushgateway_url must be an http:// or https:// URL."
  }
}

variable "pushgateway_job" {
  description = "Pushgateway job label of the pushed group."
  type        = string
  default     = "lagsnap"
}

variable "schedule_expression" {
  description = "EventBridge Scheduler expression of the snapshots."
  type        = string
  default     = "rate(1 minute)"

  validation {
    condition     = can(regex("^(rate|cron)\\(.+\\)$", var.schedule_expression))
    error_message = "schedule_expression must be rate(...) or cron(...)."
  }
}

variable "architecture" {
  description = "Function architecture: arm64 or x86_64."
  type        = string
  default     = "arm64"

  validation {
    condition     = contains(["arm64", "x86_64"], var.architecture)
    error_message = "architecture must be arm64 or x86_64."
  }
}

variable "run_deadline_seconds" {
  description = "The config's run deadline in seconds; the function timeout is this plus 30."
  type        = number
  default     = 60

  validation {
    condition     = var.run_deadline_seconds >= 10 && var.run_deadline_seconds <= 870
    error_message = "run_deadline_seconds must be between 10 and 870 (the Lambda timeout is at most 900)."
  }
}

variable "granularity" {
  description = "Metric granularity: topic (aggregated) or partition (one series per partition)."
  type        = string
  default     = "topic"

  validation {
    condition     = contains(["topic", "partition"], var.granularity)
    error_message = "granularity must be topic or partition."
  }
}

variable "keep_history" {
  description = "Also write the JSON history to a new S3 bucket and create a Glue table over it for Athena."
  type        = bool
  default     = true
}

variable "history_retention_days" {
  description = "Days the JSON history is kept."
  type        = number
  default     = 90

  validation {
    condition     = var.history_retention_days >= 1 && floor(var.history_retention_days) == var.history_retention_days
    error_message = "history_retention_days must be a whole number of at least 1."
  }
}

variable "alarm_email" {
  description = "Email address subscribed to the alarms' SNS topic. Null creates no topic and the alarms notify nobody."
  type        = string
  default     = null

  validation {
    condition     = var.alarm_email == null || can(regex("^[^@ ]+@[^@ ]+$", var.alarm_email))
    error_message = "alarm_email must be an e-mail address."
  }
}

variable "tags" {
  description = "Tags of every resource."
  type        = map(string)
  default     = {}
}
