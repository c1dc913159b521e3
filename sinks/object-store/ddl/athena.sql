-- Athena (Glue Data Catalog) table over the history objects of lagsnap's object_store sink:
--   s3://BUCKET/PREFIX/cluster=NAME/dt=YYYY-MM-DD/hour=HH/lagsnap-YYYYMMDDTHHMMSSZ-RUNID.ndjson.gz
--
-- Replace s3://my-lagsnap-bucket/lagsnap/ (LOCATION and the template) with the sink's url, and the cluster list
-- with your cluster names as they appear in the keys (letters, digits and - . _ ~ as is, anything else
-- percent-encoded: "prod eu" is prod%20eu). Partition projection derives the partitions from the layout: no
-- crawler, no MSCK REPAIR. With 'projection.cluster.type' = 'injected' instead of the list, every query must
-- name its cluster (WHERE cluster = '...').
--
-- cluster is a partition column, read from the key, so it is not repeated among the data columns (Athena rejects a
-- name that is both); the rows' own "cluster" field holds the same name. `group` and `partition` are reserved
-- words: quote them here with backticks and in queries with double quotes ("group").
CREATE EXTERNAL TABLE IF NOT EXISTS lagsnap_history (
  snapshot_time       string,
  `group`             string,
  group_state         string,
  topic               string,
  `partition`         int,
  committed_offset    bigint,
  low_watermark       bigint,
  high_watermark      bigint,
  lag                 bigint,
  lag_seconds         double,
  sampled_offset      bigint,
  sampled_timestamp   string,
  member_host         string,
  consumer_id         string,
  client_id           string,
  messages_lost       bigint,
  retention_margin    bigint,
  lag_retention_ratio double,
  compaction_detected boolean,
  data_loss_detected  boolean,
  group_type          string,
  last_stable_offset  bigint,
  lag_committed       bigint,
  lag_source          string,
  lag_isolation       string,
  lag_if_reset        bigint,
  status              string,
  consume_rate        double,
  produce_rate        double,
  eta_seconds         double
)
PARTITIONED BY (
  cluster string,
  dt      string,
  hour    int
)
ROW FORMAT SERDE 'org.openx.data.jsonserde.JsonSerDe'
LOCATION 's3://my-lagsnap-bucket/lagsnap/'
TBLPROPERTIES (
  'projection.enabled'          = 'true',
  'projection.cluster.type'     = 'enum',
  'projection.cluster.values'   = 'prod,staging',
  'projection.dt.type'          = 'date',
  'projection.dt.format'        = 'yyyy-MM-dd',
  'projection.dt.range'         = '2025-01-01,NOW',
  'projection.dt.interval'      = '1',
  'projection.dt.interval.unit' = 'DAYS',
  'projection.hour.type'        = 'integer',
  'projection.hour.range'       = '0,23',
  'projection.hour.digits'      = '2',
  'storage.location.template'   = 's3://my-lagsnap-bucket/lagsnap/cluster=${cluster}/dt=${dt}/hour=${hour}/'
);
