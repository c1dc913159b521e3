# ---------------------------------------------------------------------------
# Function role: least privilege. Every statement names the exact resource it
# needs; the only "*" is for the two EC2 Describe calls that support no
# resource-level permissions and that Lambda needs to attach a VPC interface.
# ---------------------------------------------------------------------------

locals {
  ssm_parameter_arns = [for n in var.ssm_parameter_names : "arn:${local.partition}:ssm:${local.region}:${local.account_id}:parameter/${trimprefix(n, "/")}"]
  reads_secrets      = length(var.secret_arns) + length(var.ssm_parameter_names) > 0

  # MSK IAM resources: arn:...:cluster/NAME/UUID -> arn:...:topic/NAME/UUID/* and group/NAME/UUID/*.
  msk_cluster_arn = var.msk_cluster_arn == null ? "" : var.msk_cluster_arn
  msk_topic_arn   = "${replace(local.msk_cluster_arn, ":cluster/", ":topic/")}/*"
  msk_group_arn   = "${replace(local.msk_cluster_arn, ":cluster/", ":group/")}/*"

  history_objects_arn = "arn:${local.partition}:s3:::${coalesce(var.history_bucket_name, "-")}/${var.history_prefix}/*"
  config_object_arn   = "arn:${local.partition}:s3:::${coalesce(var.history_bucket_name, "-")}/${local.config_s3_key}"
  history_bucket_arn  = "arn:${local.partition}:s3:::${coalesce(var.history_bucket_name, "-")}"
  trend_state_arn     = "arn:${local.partition}:s3:::${coalesce(var.history_bucket_name, "-")}/${var.history_prefix}/cluster=*/trend*.json.gz"
  history_rows_arn    = "arn:${local.partition}:s3:::${coalesce(var.history_bucket_name, "-")}/${var.history_prefix}/cluster=*/dt=*/hour=*/lagsnap-*.ndjson.gz"
  history_rollups_arn = "arn:${local.partition}:s3:::${coalesce(var.history_bucket_name, "-")}/${var.history_prefix}/cluster=*/rollup/dt=*/hour=*/lagsnap-*.json.gz"
  eni_arn             = "arn:${local.partition}:ec2:${local.region}:${local.account_id}:*/*"
}

data "aws_iam_policy_document" "function_assume" {
  statement {
    sid     = "LambdaAssume"
    actions = ["sts:AssumeRole"]

    principals {
      type        = "Service"
      identifiers = ["lambda.amazonaws.com"]
    }

    condition {
      test     = "StringEquals"
      variable = "aws:SourceAccount"
      values   = [local.account_id]
    }
  }
}

resource "aws_iam_role" "function" {
  name                 = "${var.name}-function"
  description          = "lagsnap function ${var.name}"
  assume_role_policy   = data.aws_iam_policy_document.function_assume.json
  permissions_boundary = var.permissions_boundary_arn
  tags                 = var.tags
}

data "aws_iam_policy_document" "function" {
  statement {
    sid       = "Logs"
    actions   = ["logs:CreateLogStream", "logs:PutLogEvents"]
    resources = ["${aws_cloudwatch_log_group.this.arn}:*"]
  }

  dynamic "statement" {
    for_each = local.history_enabled ? [true] : []

    content {
      sid       = "HistoryWrite"
      actions   = ["s3:PutObject"]
      resources = [local.history_objects_arn]
    }
  }

  # A history or rollup put refused with 412 (an SDK retry of a put that succeeded) is read back to compare its
  # bytes; denied, the delivery fails. Only those keys: latest.json and index.html are never read.
  dynamic "statement" {
    for_each = local.history_enabled ? [true] : []

    content {
      sid       = "HistoryReadBack"
      actions   = ["s3:GetObject"]
      resources = [local.history_rows_arn, local.history_rollups_arn]
    }
  }

  # The trend state sits beside latest.json and is read back by the next run (docs/trends.md).
  dynamic "statement" {
    for_each = local.history_enabled ? [true] : []

    content {
      sid       = "TrendStateRead"
      actions   = ["s3:GetObject"]
      resources = [local.trend_state_arn]
    }
  }

  # Without ListBucket, S3 answers a missing object with 403, not 404, and the first run could never start a
  # trend state. Unconditioned: an s3:prefix condition is not documented to apply to that existence check. It
  # shows key names, never contents.
  dynamic "statement" {
    for_each = local.history_enabled ? [true] : []

    content {
      sid       = "TrendStateList"
      actions   = ["s3:ListBucket"]
      resources = [local.history_bucket_arn]
    }
  }

  dynamic "statement" {
    for_each = local.history_enabled && var.config_delivery == "s3" ? [true] : []

    content {
      sid       = "ConfigRead"
      actions   = ["s3:GetObject"]
      resources = [local.config_object_arn]
    }
  }

  dynamic "statement" {
    for_each = local.history_enabled && var.history_kms_key_arn != null ? [true] : []

    content {
      sid       = "HistoryKms"
      actions   = ["kms:GenerateDataKey", "kms:Decrypt"]
      resources = [var.history_kms_key_arn]
    }
  }

  dynamic "statement" {
    for_each = length(var.secret_arns) > 0 ? [true] : []

    content {
      sid       = "SecretsRead"
      actions   = ["secretsmanager:GetSecretValue"]
      resources = var.secret_arns
    }
  }

  dynamic "statement" {
    for_each = length(local.ssm_parameter_arns) > 0 ? [true] : []

    content {
      sid       = "ParametersRead"
      actions   = ["ssm:GetParameter"]
      resources = local.ssm_parameter_arns
    }
  }

  dynamic "statement" {
    for_each = var.secrets_kms_key_arn != null && local.reads_secrets ? [true] : []

    content {
      sid       = "SecretsKms"
      actions   = ["kms:Decrypt"]
      resources = [var.secrets_kms_key_arn]

      condition {
        test     = "StringEquals"
        variable = "kms:ViaService"
        values   = ["secretsmanager.${local.region}.amazonaws.com", "ssm.${local.region}.amazonaws.com"]
      }
    }
  }

  dynamic "statement" {
    for_each = var.msk_iam_auth ? [true] : []

    content {
      sid       = "MskCluster"
      actions   = ["kafka-cluster:Connect", "kafka-cluster:DescribeCluster"]
      resources = [local.msk_cluster_arn]
    }
  }

  dynamic "statement" {
    for_each = var.msk_iam_auth ? [true] : []

    content {
      sid       = "MskTopics"
      actions   = ["kafka-cluster:DescribeTopic", "kafka-cluster:DescribeTopicDynamicConfiguration", "kafka-cluster:ReadData"]
      resources = [local.msk_topic_arn]
    }
  }

  dynamic "statement" {
    for_each = var.msk_iam_auth ? [true] : []

    content {
      sid       = "MskGroups"
      actions   = ["kafka-cluster:DescribeGroup"]
      resources = [local.msk_group_arn]
    }
  }

  dynamic "statement" {
    for_each = local.in_vpc ? [true] : []

    content {
      sid       = "VpcDescribe"
      actions   = ["ec2:DescribeNetworkInterfaces", "ec2:DescribeSubnets"]
      resources = ["*"]
    }
  }

  dynamic "statement" {
    for_each = local.in_vpc ? [true] : []

    content {
      sid       = "VpcInterfaces"
      actions   = ["ec2:CreateNetworkInterface", "ec2:DeleteNetworkInterface", "ec2:AssignPrivateIpAddresses", "ec2:UnassignPrivateIpAddresses"]
      resources = [local.eni_arn]
    }
  }
}

resource "aws_iam_role_policy" "function" {
  name   = "lagsnap"
  role   = aws_iam_role.function.id
  policy = data.aws_iam_policy_document.function.json
}

# ---------------------------------------------------------------------------
# Scheduler role: may invoke the live alias and nothing else.
# ---------------------------------------------------------------------------

data "aws_iam_policy_document" "scheduler_assume" {
  statement {
    sid     = "SchedulerAssume"
    actions = ["sts:AssumeRole"]

    principals {
      type        = "Service"
      identifiers = ["scheduler.amazonaws.com"]
    }

    condition {
      test     = "StringEquals"
      variable = "aws:SourceAccount"
      values   = [local.account_id]
    }
  }
}

resource "aws_iam_role" "scheduler" {
  name                 = "${var.name}-scheduler"
  description          = "Lets EventBridge Scheduler invoke lagsnap function ${var.name}"
  assume_role_policy   = data.aws_iam_policy_document.scheduler_assume.json
  permissions_boundary = var.permissions_boundary_arn
  tags                 = var.tags
}

data "aws_iam_policy_document" "scheduler" {
  statement {
    sid       = "InvokeLiveAlias"
    actions   = ["lambda:InvokeFunction"]
    resources = [aws_lambda_alias.live.arn]
  }
}

resource "aws_iam_role_policy" "scheduler" {
  name   = "invoke-lagsnap"
  role   = aws_iam_role.scheduler.id
  policy = data.aws_iam_policy_document.scheduler.json
}
