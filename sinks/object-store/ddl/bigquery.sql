-- BigQuery external table over the history objects of lagsnap's object_store sink:
--   gs://BUCKET/PREFIX/cluster=NAME/dt=YYYY-MM-DD/hour=HH/lagsnap-YYYYMMDDTHHMMSSZ-RUNID.ndjson.gz
--
-- Replace my-project.lagsnap with your dataset and gs://my-lagsnap-bucket/lagsnap with the sink's url. The uri
-- ends in *.ndjson.gz so the latest.json objects next to the partitions are not read as rows. cluster, dt and
-- hour come from the key (hive partitioning); the rows' own "cluster" field holds the same name and is skipped
-- (ignore_unknown_values), because a partition key cannot also be a data column. Queries must filter on a
-- partition column (require_hive_partition_filter), which keeps them from scanning the whole history.
-- `group` and `partition` are reserved words: quote them with backticks, here and in queries.
CREATE EXTERNAL TABLE `my-project.lagsnap.lag_history` (
  snapshot_time       STRING,
  `group`             STRING,
  group_state         STRING,
  topic               STRING,
  `partition`         INT64,
  committed_offset    INT64,
  low_watermark       INT64,
  high_watermark      INT64,
  lag                 INT64,
  lag_seconds         FLOAT64,
  sampled_offset      INT64,
  sampled_timestamp   STRING,
  member_host         STRING,
  consumer_id         STRING,
  client_id           STRING,
  messages_lost       INT64,
  retention_margin    INT64,
  lag_retention_ratio FLOAT64,
  compaction_detected BOOL,
  data_loss_detected  BOOL,
  group_type          STRING,
  last_stable_offset  INT64,
  lag_committed       INT64,
  lag_source          STRING,
  lag_isolation       STRING,
  lag_if_reset        INT64,
  status              STRING,
  consume_rate        FLOAT64,
  produce_rate        FLOAT64,
  eta_seconds         FLOAT64
)
WITH PARTITION COLUMNS (
  cluster STRING,
  dt      DATE,
  hour    INT64
)
OPTIONS (
  format = 'NEWLINE_DELIMITED_JSON',
  compression = 'GZIP',
  uris = ['gs://my-lagsnap-bucket/lagsnap/*.ndjson.gz'],
  hive_partition_uri_prefix = 'gs://my-lagsnap-bucket/lagsnap',
  require_hive_partition_filter = true,
  ignore_unknown_values = true
);
