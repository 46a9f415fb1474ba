/*
 * Every limit of the RUM model, in one place. The SDK trims to them before sending; the server
 * refuses or truncates past them and says which one was hit. docs/semantic-conventions.md lists them.
 */

/** Attributes kept on one event (resource attributes excluded); extra ones are dropped and counted. */
export const MAX_ATTRIBUTES_PER_EVENT = 128;
/** Characters kept in one string attribute value; longer values are truncated. */
export const MAX_ATTRIBUTE_VALUE_LENGTH = 4096;
/** Characters kept in exception.stacktrace, which is longer than other values by nature. */
export const MAX_STACKTRACE_LENGTH = 16384;
/** Characters in an attribute key. */
export const MAX_ATTRIBUTE_KEY_LENGTH = 128;
/**
 * Latest time an event may carry, 9999-12-31T23:59:59.999Z in ms since the epoch: an OTLP time
 * (`*UnixNano`) past it is taken as absent, and the record gets the time it was received.
 */
export const MAX_EVENT_TIME_MS = 253_402_300_799_999;
/** Levels of lists and maps nested in one attribute value (OTLP AnyValue); a deeper request is refused with 400. */
export const MAX_ATTRIBUTE_NESTING = 16;
/** Bytes of one encoded event (attributes and body); a larger event is rejected. */
export const MAX_EVENT_BYTES = 64 * 1024;
/** Events in one SDK batch before it is sent. */
export const MAX_BATCH_EVENTS = 50;
/** Bytes of one SDK batch before it is sent (under the 64 KiB keepalive budget of browsers). */
export const MAX_BATCH_BYTES = 48 * 1024;
/** Events (spans, log records, data points) accepted in one OTLP request. */
export const MAX_EVENTS_PER_REQUEST = 10_000;
/** Bytes of one OTLP request body as received (compressed or not). */
export const MAX_REQUEST_BODY_BYTES = 5 * 1024 * 1024;
/** Bytes of one OTLP request body after decompression (guards against gzip bombs). */
export const MAX_DECOMPRESSED_BODY_BYTES = 32 * 1024 * 1024;
/** Characters in an application id (letters, digits and underscore). */
export const MAX_APP_ID_LENGTH = 48;
/** The shape of an application id. */
export const APP_ID_PATTERN = /^[A-Za-z0-9_]{1,48}$/;

// --- query API: the filter expression language (server/src/query/filter/README.md) ---
/** Characters in one filter expression; a longer filter is refused before it is parsed. */
export const MAX_FILTER_LENGTH = 4096;
/** Nesting of parentheses and `not` in one filter expression; deeper nesting is refused. */
export const MAX_FILTER_DEPTH = 20;
/** Conditions (field comparisons and free-text terms) in one filter expression. */
export const MAX_FILTER_TERMS = 64;
/** Values in one `in (...)` list of a filter expression. */
export const MAX_FILTER_IN_VALUES = 100;
/** Bytes the SDK keeps queued for resending (refused or offline requests); the oldest are dropped past it. */
export const MAX_SDK_QUEUE_BYTES = 4 * 1024 * 1024;
/** Bytes of in-flight keepalive requests a browser allows per page (fetch keepalive and sendBeacon share it). */
export const BROWSER_KEEPALIVE_BYTES = 64 * 1024;
/** Longest wait between two SDK retries of a refused request, unless Retry-After asks for longer. */
export const MAX_SDK_RETRY_DELAY_MS = 60_000;
/** Bytes the SDK may set aside in localStorage at page hide when the keepalive budget is spent; sent on the next page. */
export const MAX_SDK_SPILL_BYTES = 1024 * 1024;
/** Longest an SDK request may wait for its answer before it is aborted and retried like a failed one (longer than a slow endpoint's 10 s). */
export const SDK_REQUEST_TIMEOUT_MS = 20_000;
/** Characters of an `Idempotency-Key` request header the server takes; a longer one is refused with 400. */
export const MAX_IDEMPOTENCY_KEY_LENGTH = 128;
/** Idempotency keys of committed requests the server remembers (the oldest are forgotten first). */
export const MAX_IDEMPOTENCY_KEYS = 200_000;
/** How long the server remembers the idempotency key of a committed request, ms; a repeat within it is answered without storing again. */
export const IDEMPOTENCY_KEY_TTL_MS = 60 * 60 * 1000;

// --- applications and ingest admission (server/README.md) ---
/** Days of data kept for an application that does not choose; the offered choices are 3, 7 and 14. */
export const DEFAULT_RETENTION_DAYS = 7;
/** Longest retention an application may choose, in days. */
export const MAX_RETENTION_DAYS = 366;
/** Events per second one application may send when it has no limit of its own (token bucket refill rate). */
export const DEFAULT_APP_EVENTS_PER_SECOND = 5000;
/** Events one application may send at once above its rate when it has no limit of its own (bucket size). */
export const DEFAULT_APP_EVENT_BURST = 50_000;
/** Highest rate limit that may be set on one application, events per second. */
export const MAX_APP_EVENTS_PER_SECOND = 1_000_000;
/** Largest bucket (burst) of a per-application rate limit, in events: ten seconds at the highest rate. */
export const MAX_APP_EVENT_BURST = MAX_APP_EVENTS_PER_SECOND * 10;
/** Events per second accepted for records without rum.app.id (backend spans and metrics), all senders together. */
export const DEFAULT_BACKEND_EVENTS_PER_SECOND = 50_000;
/** Default DuckDB memory limit of the server (RUM_DUCKDB_MEMORY_MIB), in MiB: the ceiling of DuckDB's buffer pool (rows not yet checkpointed, cached blocks of the file, query state); DuckDB's own default is 80 % of RAM. */
export const DEFAULT_DUCKDB_MEMORY_MIB = 1024;
/** Lowest DuckDB memory limit the server accepts, in MiB (a guard against a value meant in GiB). */
export const MIN_DUCKDB_MEMORY_MIB = 128;
/** Default write-ahead log size, in MiB, at which the server's DuckDB checkpoints (RUM_CHECKPOINT_MIB); until then DuckDB keeps the log's rows in memory too (about 1.7 times its size), and the checkpoint holds commits back while it runs. */
export const DEFAULT_CHECKPOINT_MIB = 64;
/** Milliseconds between two looks at a write statement left to the DuckDB store's worker threads (server/src/store/duckdb/worker-run.ts). */
export const WORKER_POLL_INTERVAL_MS = 1;
/** Longest time, in milliseconds, a write statement is left to DuckDB's worker threads alone; past it (they are busy with a long query) the calling thread takes its remaining tasks. */
export const WORKER_WAIT_MAX_MS = 100;
/** Origins in one application's list of allowed origins. */
export const MAX_ALLOWED_ORIGINS = 100;
/** Dashboards linked to one application. */
export const MAX_LINKED_DASHBOARDS = 50;
/** Characters in an application's name. */
export const MAX_APP_NAME_LENGTH = 100;

// --- generated metrics and journeys (server/src/metrics/README.md, server/src/journeys/README.md) ---
/** Group-by dimensions of one generated metric rule; each becomes a Prometheus label. */
export const MAX_GENERATED_METRIC_DIMENSIONS = 3;
/** Label sets (series) one generated metric rule keeps; events of further series are dropped and counted. */
export const MAX_GENERATED_METRIC_SERIES = 500;
/** Generated metric rules the server evaluates. */
export const MAX_GENERATED_METRIC_RULES = 50;
/** Characters in a generated metric rule's name (its Prometheus metric name). */
export const MAX_METRIC_RULE_NAME_LENGTH = 128;
/** Characters in a generated metric rule's description (its HELP text). */
export const MAX_METRIC_RULE_DESCRIPTION_LENGTH = 1000;
/** Shortest bucket of a generated metric rule, in seconds. */
export const MIN_GENERATED_METRIC_INTERVAL_S = 10;
/** Longest bucket of a generated metric rule, in seconds. */
export const MAX_GENERATED_METRIC_INTERVAL_S = 3600;
/** Steps in one journey. */
export const MAX_JOURNEY_STEPS = 20;
/** Journeys kept by the server. */
export const MAX_JOURNEYS = 200;

// --- session replay (sdk-otel/src/replay, server/src/replay) ---
/** Longest time one replay segment collects rrweb events before it is closed, ms. Segments also close at
 * REPLAY_SEGMENT_FLUSH_CHARS, at a view change, a new session, flush() and page hide, so this only bounds a
 * quiet page's segments (one envelope per this long rather than one every few seconds). */
export const REPLAY_SEGMENT_MAX_DURATION_MS = 30_000;
/** Longest time a closed replay segment waits before it is sent, ms: segments closed meanwhile share one
 * request, and so one Resource envelope (about 510 bytes) and one gzip of the request. Page hide and
 * flush() send what waits at once; a page that crashes while visible loses it. */
export const REPLAY_FLUSH_INTERVAL_MS = 30_000;
/** Bytes of a replay request (OTLP protobuf) up to which the SDK compresses it whole at REPLAY_GZIP_LEVEL
 * (Content-Encoding gzip), synchronously on the page, at page hide too: the Resource and the records'
 * attributes shrink by about a third, the segments (gzip already) not at all. A larger request is
 * mostly segment bytes: it is sent as gzip of level 0 (stored, only framed), which costs a copy and a
 * CRC instead of milliseconds of deflating what does not shrink. */
export const REPLAY_REQUEST_GZIP_MAX_BYTES = 8 * 1024;
/** zlib level of replay segments (the SDK compresses them while recording): gzip's default, most of level 9's ratio at a fraction of its time. */
export const REPLAY_GZIP_LEVEL = 6;
/** Bytes of rrweb event JSON the SDK's compression worker puts into one gzip member of a replay segment
 * before it hands the member back: at page hide the page compresses at most this much (plus what is
 * in flight to the worker) itself, a few ms. Each member starts a new dictionary: on rrweb mutation
 * JSON, members of 32 KiB came out 13 % larger than one stream, of 64 KiB 8 %, of 128 KiB 4 %. */
export const REPLAY_WORKER_MEMBER_BYTES = 64 * 1024;
/** Characters of rrweb event JSON one replay segment collects before it is sent (before compression). */
export const REPLAY_SEGMENT_FLUSH_CHARS = 256 * 1024;
/** rrweb events in one replay segment; the segment is sent when it holds this many. */
export const MAX_REPLAY_SEGMENT_EVENTS = 1000;
/** Bytes of one replay segment's body as sent (gzip or JSON); a larger segment is dropped by the SDK and refused by the server. */
export const MAX_REPLAY_SEGMENT_BYTES = 512 * 1024;
/** Bytes of one replay segment's JSON after the server inflates it (guards against gzip bombs). */
export const MAX_REPLAY_SEGMENT_DECODED_BYTES = 16 * 1024 * 1024;
/** Replay segments in one page of GET /api/v1/sessions/{id}/replay; nextCursor continues. */
export const MAX_REPLAY_SEGMENTS_PER_PAGE = 50;
/** Bytes of decoded rrweb JSON in one page of GET /api/v1/sessions/{id}/replay; past it the page ends early (it always holds one segment). */
export const MAX_REPLAY_PAGE_DECODED_BYTES = 32 * 1024 * 1024;

// --- query API: pages, facets and aggregates (server/README.md, HTTP interface) ---
/** Items in one page of a list. */
export const MAX_PAGE_SIZE = 1000;
/** Values returned by one facet. */
export const MAX_FACET_VALUES = 100;
/** Groups in one aggregate; past it, the top groups by event count are kept. */
export const MAX_AGGREGATE_GROUPS = 20;
/** Time buckets in one aggregate series; a smaller interval over a longer range is refused. */
export const MAX_AGGREGATE_BUCKETS = 2000;
/** Dimensions one aggregate may group by. */
export const MAX_AGGREGATE_GROUP_BY = 3;
/** Shortest bucket of an aggregate, seconds. */
export const MIN_AGGREGATE_INTERVAL_S = 1;
/** Longest bucket of an aggregate, seconds (7 days). */
export const MAX_AGGREGATE_INTERVAL_S = 7 * 24 * 3600;

// --- hourly rollups of the DuckDB store (server/src/store/duckdb/ROLLUPS.md) ---
/** Milliseconds between two runs of the DuckDB store's rollup job, which folds closed hours into the hourly rollup tables and re-folds hours that late events touched; late events reach rollup-served answers within this plus one fold. */
export const ROLLUP_JOB_INTERVAL_MS = 60_000;
/** Milliseconds after the DuckDB store opens before its rollup job first runs, so that starting the server stays quick (queries read the raw events of hours not folded yet). */
export const ROLLUP_FIRST_RUN_DELAY_MS = 60_000;
/** Milliseconds after an hour's end before the rollup job folds it: events of that hour written within this time are in its first fold. */
export const ROLLUP_CLOSE_DELAY_MS = 120_000;
/** Milliseconds an event may take from its id (written at arrival) to its commit and its view summary's fold; the rollup job looks this far back for late events, so a write slower than this is missed by the re-fold. */
export const ROLLUP_LATE_MARGIN_MS = 60_000;
/** Growth factor of the rollups' log-scale value histograms: a percentile read from them is within (gamma - 1) / (gamma + 1), about 1 %, of the exact one (relative, for values of one sign). */
export const ROLLUP_HISTOGRAM_GAMMA = 1.02;

// --- server replicas sharing one ClickHouse (server/src/store/clickhouse/README.md) ---
/** Milliseconds between two reloads of a replica's applications and API tokens from ClickHouse; a change made through one replica is in force on every replica within this plus one read. */
export const REPLICA_STATE_REFRESH_MS = 2000;
