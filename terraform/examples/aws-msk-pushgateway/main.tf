provider "aws" {
  region = var.aws_region

  default_tags {
    tags = merge({ "app" = "lagsnap" }, var.tags)
  }
}

data "aws_caller_identity" "current" {}

data "aws_msk_cluster" "this" {
  cluster_name = var.msk_cluster_name
}

data "aws_vpc" "this" {
  id = var.vpc_id
}

locals {
  artifact_path  = coalesce(var.artifact_path, "${path.module}/../../../lambda-adapter/target/lagsnap-lambda.zip")
  cluster_label  = coalesce(var.cluster_label, var.msk_cluster_name)
  history_bucket = var.keep_history ? "${var.name}-history-${data.aws_caller_identity.current.account_id}-${var.aws_region}" : null
  history_prefix = "lagsnap"

  pushgateway_port = tonumber(coalesce(
    one(regexall("^[a-z]+://[^/:]+:([0-9]+)", var.pushgateway_url)[*][0]),
    startswith(var.pushgateway_url, "https://") ? "443" : "80",
  ))

  config_toml = templatefile("${path.module}/config.toml.tftpl", {
    run_deadline      = "${var.run_deadline_seconds}s"
    granularity       = var.granularity
    cluster_name      = local.cluster_label
    bootstrap_servers = data.aws_msk_cluster.this.bootstrap_brokers_sasl_iam
    pushgateway_url   = var.pushgateway_url
    pushgateway_job   = var.pushgateway_job
    history_url       = var.keep_history ? "s3://${local.history_bucket}/${local.history_prefix}" : ""
  })
}

# Egress only: the brokers' IAM port and the Pushgateway inside the VPC, and HTTPS for S3.
resource "aws_security_group" "function" {
  name        = "${var.name}-function"
  description = "lagsnap function: egress to MSK (IAM, 9098), the Pushgateway and HTTPS"
  vpc_id      = var.vpc_id
}

resource "aws_vpc_security_group_egress_rule" "msk_iam" {
  security_group_id = aws_security_group.function.id
  description       = "MSK brokers, IAM authentication"
  ip_protocol       = "tcp"
  from_port         = 9098
  to_port           = 9098
  cidr_ipv4         = data.aws_vpc.this.cidr_block
}

resource "aws_vpc_security_group_egress_rule" "pushgateway" {
  security_group_id = aws_security_group.function.id
  description       = "Prometheus Pushgateway"
  ip_protocol       = "tcp"
  from_port         = local.pushgateway_port
  to_port           = local.pushgateway_port
  cidr_ipv4         = data.aws_vpc.this.cidr_block
}

resource "aws_vpc_security_group_egress_rule" "https" {
  security_group_id = aws_security_group.function.id
  description       = "HTTPS: S3 history (directly or through a gateway endpoint)"
  ip_protocol       = "tcp"
  from_port         = 443
  to_port           = 443
  cidr_ipv4         = "0.0.0.0/0"
}

resource "aws_sns_topic" "alarms" {
  count = var.alarm_email == null ? 0 : 1

  name = "${var.name}-alarms"
}

resource "aws_sns_topic_subscription" "alarms_email" {
  count = var.alarm_email == null ? 0 : 1

  topic_arn = aws_sns_topic.alarms[0].arn
  protocol  = "email"
  endpoint  = var.alarm_email
}

module "lagsnap" {
  source = "../../modules/aws-lambda"

  name          = var.name
  artifact_path = local.artifact_path
  architecture  = var.architecture
  timeout       = var.run_deadline_seconds + 30
  config_toml   = local.config_toml

  schedule_expression = var.schedule_expression

  vpc_subnet_ids         = var.subnet_ids
  vpc_security_group_ids = [aws_security_group.function.id]

  msk_iam_auth    = true
  msk_cluster_arn = data.aws_msk_cluster.this.arn

  history_bucket_name    = local.history_bucket
  create_history_bucket  = var.keep_history
  history_prefix         = local.history_prefix
  history_retention_days = var.history_retention_days
  create_glue_table      = var.keep_history
  glue_cluster_names     = [local.cluster_label]

  alarm_actions = aws_sns_topic.alarms[*].arn
}
