provider "kubernetes" {
  config_path    = var.kubeconfig_path
  config_context = var.kubeconfig_context
}

locals {
  user_secret = coalesce(var.kafka_user_secret, var.name)
  ca_dir      = "/var/run/lagsnap/cluster-ca"

  bootstrap_servers = "${var.kafka_cluster_name}-kafka-bootstrap.${var.kafka_namespace}.svc:${var.listener_port}"

  # The JAAS line comes from the user Secret through the environment: it never enters the ConfigMap.
  consumer_properties = merge(
    {
      "security.protocol" = var.listener_tls ? "SASL_SSL" : "SASL_PLAINTEXT"
      "sasl.mechanism"    = "SCRAM-SHA-512"
      "sasl.jaas.config"  = "$${KAFKA_SASL_JAAS_CONFIG}"
    },
    var.listener_tls ? {
      "ssl.truststore.type"     = "PEM"
      "ssl.truststore.location" = "${local.ca_dir}/ca.crt"
    } : {},
  )

  config_toml = templatefile("${path.module}/config.toml.tftpl", {
    run_deadline        = "${var.run_deadline_seconds}s"
    granularity         = var.granularity
    cluster_name        = var.kafka_cluster_name
    bootstrap_servers   = local.bootstrap_servers
    consumer_properties = local.consumer_properties
    pushgateway_url     = var.pushgateway_url
    pushgateway_job     = var.pushgateway_job
  })
}

# Read-only access: describe the cluster, groups and topic configs, read records for timestamp sampling.
resource "kubernetes_manifest" "kafka_user" {
  count = var.create_kafka_user ? 1 : 0

  manifest = {
    apiVersion = "kafka.strimzi.io/v1beta2"
    kind       = "KafkaUser"

    metadata = {
      name      = var.name
      namespace = var.kafka_namespace
      labels = {
        "strimzi.io/cluster" = var.kafka_cluster_name
      }
    }

    spec = {
      authentication = {
        type = "scram-sha-512"
      }

      authorization = {
        type = "simple"
        acls = [
          {
            resource   = { type = "cluster" }
            operations = ["Describe"]
          },
          {
            resource   = { type = "group", name = "*", patternType = "literal" }
            operations = ["Describe"]
          },
          {
            resource   = { type = "topic", name = "*", patternType = "literal" }
            operations = ["Describe", "DescribeConfigs", "Read"]
          },
        ]
      }
    }
  }
}

module "lagsnap" {
  source = "../../modules/kubernetes-cronjob"

  name                 = var.name
  namespace            = var.kafka_namespace
  image                = var.image
  schedule             = var.schedule
  config_toml          = local.config_toml
  run_deadline_seconds = var.run_deadline_seconds
  shard_count          = var.shard_count

  secret_env = {
    KAFKA_SASL_JAAS_CONFIG = {
      secret_name = local.user_secret
      key         = "sasl.jaas.config"
    }
  }

  secret_volumes = var.listener_tls ? {
    cluster-ca = {
      secret_name = "${var.kafka_cluster_name}-cluster-ca-cert"
      mount_path  = local.ca_dir
    }
  } : {}

  depends_on = [kubernetes_manifest.kafka_user]
}
