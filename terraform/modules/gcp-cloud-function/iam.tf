# ---------------------------------------------------------------------------
# Least privilege: the function's identity can create history objects below
# the prefix (and replace latest.json/index.html), read the named secrets, and (optionally) act as a Managed Kafka
# client. The trigger's identity can invoke this one function.
# ---------------------------------------------------------------------------

resource "google_service_account" "function" {
  project      = var.project_id
  account_id   = "${var.name}-fn"
  display_name = "lagsnap function ${var.name}"
}

resource "google_service_account" "trigger" {
  project      = var.project_id
  account_id   = "${var.name}-tr"
  display_name = "lagsnap trigger ${var.name} (Eventarc -> function)"
}

# Objects below the prefix only (IAM conditions need uniform bucket-level access). objectUser, not
# objectCreator: latest.json and index.html are replaced every run, and replacing an object needs
# storage.objects.delete besides storage.objects.create (the second run would get 403).
resource "google_storage_bucket_iam_member" "history_writer" {
  count = local.history_enabled ? 1 : 0

  bucket = local.history_bucket
  role   = "roles/storage.objectUser"
  member = "serviceAccount:${google_service_account.function.email}"

  condition {
    title       = "lagsnap-history-prefix"
    description = "Only objects below ${var.history_prefix}/"
    expression  = "resource.name.startsWith(\"projects/_/buckets/${var.history_bucket_name}/objects/${var.history_prefix}/\")"
  }
}

resource "google_secret_manager_secret_iam_member" "function" {
  for_each = var.secrets

  project   = coalesce(each.value.project_id, var.project_id)
  secret_id = each.value.secret
  role      = "roles/secretmanager.secretAccessor"
  member    = "serviceAccount:${google_service_account.function.email}"
}

# Managed Kafka grants its client role on the project; there is no narrower
# binding point for it.
resource "google_project_iam_member" "managed_kafka_client" {
  count = var.managed_kafka_client ? 1 : 0

  project = var.project_id
  role    = "roles/managedkafka.client"
  member  = "serviceAccount:${google_service_account.function.email}"
}

# The Pub/Sub trigger calls the function's Cloud Run service as this identity.
resource "google_cloud_run_service_iam_member" "trigger_invoker" {
  project  = var.project_id
  location = var.region
  service  = google_cloudfunctions2_function.this.name
  role     = "roles/run.invoker"
  member   = "serviceAccount:${google_service_account.trigger.email}"
}
