locals {
  namespace            = var.create_namespace ? kubernetes_namespace_v1.this[0].metadata[0].name : var.namespace
  service_account_name = var.create_service_account ? kubernetes_service_account_v1.this[0].metadata[0].name : coalesce(var.service_account_name, var.name)

  sharded                 = var.shard_count > 1
  active_deadline_seconds = var.run_deadline_seconds + var.deadline_margin_seconds

  # Fixed by the lagsnap image: non-root user 65532, config at /etc/lagsnap/config.toml.
  run_as_user = 65532
  config_dir  = "/etc/lagsnap"
  args        = ["--config", "${local.config_dir}/config.toml"]

  labels = merge(var.labels, {
    "app.kubernetes.io/name"       = "lagsnap"
    "app.kubernetes.io/instance"   = var.name
    "app.kubernetes.io/managed-by" = "terraform"
  })

  env = merge(var.env, {
    JAVA_TOOL_OPTIONS   = var.java_tool_options
    LAGSNAP_SHARD_COUNT = tostring(var.shard_count)
  })
}

resource "kubernetes_namespace_v1" "this" {
  count = var.create_namespace ? 1 : 0

  metadata {
    name   = var.namespace
    labels = var.labels
  }
}

resource "kubernetes_service_account_v1" "this" {
  count = var.create_service_account ? 1 : 0

  metadata {
    name        = var.name
    namespace   = local.namespace
    labels      = local.labels
    annotations = var.service_account_annotations
  }

  automount_service_account_token = false
}

resource "kubernetes_config_map_v1" "config" {
  metadata {
    name      = "${var.name}-config"
    namespace = local.namespace
    labels    = local.labels
  }

  data = {
    "config.toml" = var.config_toml
  }
}

resource "kubernetes_cron_job_v1" "this" {
  metadata {
    name      = var.name
    namespace = local.namespace
    labels    = local.labels
  }

  spec {
    schedule                      = var.schedule
    timezone                      = var.timezone
    suspend                       = var.suspend
    concurrency_policy            = "Forbid"
    starting_deadline_seconds     = var.starting_deadline_seconds
    successful_jobs_history_limit = var.successful_jobs_history_limit
    failed_jobs_history_limit     = var.failed_jobs_history_limit

    job_template {
      metadata {
        labels = local.labels
      }

      spec {
        # Indexed when sharded: pod i gets JOB_COMPLETION_INDEX=i and takes shard i of LAGSNAP_SHARD_COUNT.
        # Retries and failures then count per index, so one failing shard neither stops nor uses up the others
        # (a Job-wide backoff_limit counts the failures of every index together); the Job-wide limit is lifted,
        # which the provider would otherwise default to 6.
        completion_mode            = local.sharded ? "Indexed" : "NonIndexed"
        completions                = var.shard_count
        parallelism                = var.shard_count
        backoff_limit              = local.sharded ? 2147483647 : var.backoff_limit
        backoff_limit_per_index    = local.sharded ? var.backoff_limit : null
        max_failed_indexes         = local.sharded ? var.shard_count : null
        active_deadline_seconds    = local.active_deadline_seconds
        ttl_seconds_after_finished = 3600

        template {
          metadata {
            labels = local.labels

            annotations = {
              "lagsnap.io/config-sha256" = sha256(var.config_toml)
            }
          }

          spec {
            # termination grace: above lagsnap's SIGTERM grace plus the sinks' delivery reserve (up to 15 s),
            # so a pod stopped mid-run still delivers what it has before the kubelet kills it.
            service_account_name             = local.service_account_name
            automount_service_account_token  = false
            restart_policy                   = "Never"
            node_selector                    = var.node_selector
            termination_grace_period_seconds = 30

            security_context {
              run_as_non_root = true
              run_as_user     = local.run_as_user
              run_as_group    = local.run_as_user
              fs_group        = local.run_as_user

              seccomp_profile {
                type = "RuntimeDefault"
              }
            }

            dynamic "image_pull_secrets" {
              for_each = var.image_pull_secrets

              content {
                name = image_pull_secrets.value
              }
            }

            container {
              name              = "lagsnap"
              image             = var.image
              image_pull_policy = var.image_pull_policy
              args              = local.args

              dynamic "env" {
                for_each = local.env

                content {
                  name  = env.key
                  value = env.value
                }
              }

              dynamic "env" {
                for_each = var.secret_env

                content {
                  name = env.key

                  value_from {
                    secret_key_ref {
                      name     = env.value.secret_name
                      key      = env.value.key
                      optional = env.value.optional
                    }
                  }
                }
              }

              resources {
                requests = {
                  cpu    = var.resources.requests_cpu
                  memory = var.resources.requests_memory
                }

                limits = {
                  memory = var.resources.limits_memory
                }
              }

              security_context {
                run_as_non_root            = true
                run_as_user                = local.run_as_user
                read_only_root_filesystem  = true
                allow_privilege_escalation = false

                capabilities {
                  drop = ["ALL"]
                }
              }

              volume_mount {
                name       = "config"
                mount_path = local.config_dir
                read_only  = true
              }

              # The JVM needs a writable /tmp (hsperfdata, temp files) under a read-only root.
              volume_mount {
                name       = "tmp"
                mount_path = "/tmp"
              }

              dynamic "volume_mount" {
                for_each = var.secret_volumes

                content {
                  name       = volume_mount.key
                  mount_path = volume_mount.value.mount_path
                  read_only  = true
                }
              }
            }

            volume {
              name = "config"

              config_map {
                name = kubernetes_config_map_v1.config.metadata[0].name

                items {
                  key  = "config.toml"
                  path = "config.toml"
                }
              }
            }

            volume {
              name = "tmp"

              empty_dir {
                size_limit = "64Mi"
              }
            }

            dynamic "volume" {
              for_each = var.secret_volumes

              content {
                name = volume.key

                secret {
                  secret_name = volume.value.secret_name
                }
              }
            }
          }
        }
      }
    }
  }
}
