/*
 * Versioned schema. A migration is never edited once released: a change is a new migration.
 * Versions are unique and applied in ascending order; gaps are allowed.
 * Time columns are TIMESTAMP (UTC, microseconds). Attributes are JSON text.
 */
export interface Migration {
  version: number;
  name: string;
  sql: string;
}

/** The event kinds when migration 30 split the events table; a later kind needs its own migration. */
const KINDS_AT_30 = [
  'session',
  'view',
  'action',
  'resource',
  'error',
  'long_task',
  'web_vital',
  'replay_segment',
] as const;

/** The columns of an events table, in table order (migrations 1, 2, 4, 8). */
const EVENT_TABLE_COLUMNS = `
  id VARCHAR NOT NULL, kind VARCHAR NOT NULL, time TIMESTAMP NOT NULL, app_id VARCHAR NOT NULL,
  session_id VARCHAR NOT NULL, view_id VARCHAR, trace_id VARCHAR, span_id VARCHAR, name VARCHAR NOT NULL,
  label VARCHAR, url VARCHAR, path VARCHAR, duration_ms DOUBLE, value DOUBLE, status INTEGER,
  service_name VARCHAR, service_version VARCHAR, environment VARCHAR, user_id VARCHAR, user_agent VARCHAR,
  source VARCHAR NOT NULL, attributes JSON, fingerprint VARCHAR, browser VARCHAR, browser_version VARCHAR,
  os VARCHAR, device VARCHAR, country VARCHAR, type VARCHAR`;

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'events, spans and metric points',
    sql: `
      CREATE TABLE events (
        id VARCHAR NOT NULL,
        kind VARCHAR NOT NULL,
        time TIMESTAMP NOT NULL,
        app_id VARCHAR NOT NULL,
        session_id VARCHAR NOT NULL,
        view_id VARCHAR,
        trace_id VARCHAR,
        span_id VARCHAR,
        name VARCHAR NOT NULL,
        label VARCHAR,
        url VARCHAR,
        path VARCHAR,
        duration_ms DOUBLE,
        value DOUBLE,
        status INTEGER,
        service_name VARCHAR,
        service_version VARCHAR,
        environment VARCHAR,
        user_id VARCHAR,
        user_agent VARCHAR,
        source VARCHAR NOT NULL,
        attributes JSON
      );
      CREATE TABLE spans (
        trace_id VARCHAR NOT NULL,
        span_id VARCHAR NOT NULL,
        parent_span_id VARCHAR,
        name VARCHAR NOT NULL,
        kind INTEGER NOT NULL,
        start_time TIMESTAMP NOT NULL,
        duration_ms DOUBLE NOT NULL,
        status_code INTEGER NOT NULL,
        status_message VARCHAR,
        service_name VARCHAR,
        app_id VARCHAR,
        session_id VARCHAR,
        scope_name VARCHAR,
        attributes JSON,
        events JSON,
        resource JSON
      );
      CREATE TABLE metric_points (
        time TIMESTAMP NOT NULL,
        app_id VARCHAR,
        service_name VARCHAR,
        name VARCHAR NOT NULL,
        unit VARCHAR,
        value DOUBLE NOT NULL,
        attributes JSON
      );
    `,
  },
  {
    version: 2,
    name: 'error fingerprints',
    sql: `
      ALTER TABLE events ADD COLUMN fingerprint VARCHAR;
    `,
  },
  {
    version: 3,
    name: 'applications',
    sql: `
      CREATE TABLE applications (
        app_id VARCHAR PRIMARY KEY,
        name VARCHAR NOT NULL,
        type VARCHAR NOT NULL,
        allowed_origins JSON NOT NULL,
        session_sample_rate DOUBLE NOT NULL,
        trace_sample_rate DOUBLE NOT NULL,
        replay_sample_rate DOUBLE NOT NULL,
        retention_days INTEGER NOT NULL,
        dashboards JSON NOT NULL,
        previous_app_ids JSON NOT NULL,
        created_at TIMESTAMP NOT NULL,
        updated_at TIMESTAMP NOT NULL
      );
    `,
  },
  {
    version: 4,
    name: 'client facts: browser, OS, device, country',
    sql: `
      ALTER TABLE events ADD COLUMN browser VARCHAR;
      ALTER TABLE events ADD COLUMN browser_version VARCHAR;
      ALTER TABLE events ADD COLUMN os VARCHAR;
      ALTER TABLE events ADD COLUMN device VARCHAR;
      ALTER TABLE events ADD COLUMN country VARCHAR;
    `,
  },
  {
    version: 5,
    name: 'issue status',
    sql: `
      CREATE TABLE issue_status (
        app_id VARCHAR NOT NULL,
        fingerprint VARCHAR NOT NULL,
        status VARCHAR NOT NULL,
        resolved_at TIMESTAMP,
        updated_at TIMESTAMP NOT NULL,
        PRIMARY KEY (app_id, fingerprint)
      );
    `,
  },
  {
    version: 6,
    name: 'sessions summary, kept up to date by every write',
    sql: `
      CREATE TABLE sessions (
        app_id VARCHAR NOT NULL,
        session_id VARCHAR NOT NULL,
        start_time TIMESTAMP NOT NULL,
        end_time TIMESTAMP NOT NULL,
        view_count BIGINT NOT NULL,
        error_count BIGINT NOT NULL,
        action_count BIGINT NOT NULL,
        resource_count BIGINT NOT NULL,
        replay_count BIGINT NOT NULL,
        event_count BIGINT NOT NULL,
        user_id VARCHAR,
        user_agent VARCHAR,
        first_url VARCHAR,
        environment VARCHAR,
        service_version VARCHAR,
        browser VARCHAR,
        os VARCHAR,
        device VARCHAR,
        country VARCHAR,
        PRIMARY KEY (app_id, session_id)
      );
      INSERT INTO sessions
        SELECT app_id, session_id, min(time), max(time),
          count(*) FILTER (WHERE kind = 'view' AND json_extract(attributes, '$."rum.view.ended"') IS NULL),
          count(*) FILTER (WHERE kind = 'error'), count(*) FILTER (WHERE kind = 'action'),
          count(*) FILTER (WHERE kind = 'resource'), count(*) FILTER (WHERE kind = 'replay_segment'), count(*),
          any_value(user_id), any_value(user_agent), arg_min(url, time) FILTER (WHERE kind = 'view'),
          any_value(environment), any_value(service_version), any_value(browser), any_value(os),
          any_value(device), any_value(country)
        FROM events GROUP BY app_id, session_id;
    `,
  },
  {
    version: 7,
    name: 'views: each view once, in its latest state',
    sql: `
      CREATE TABLE views (
        id VARCHAR NOT NULL, kind VARCHAR NOT NULL, time TIMESTAMP NOT NULL, app_id VARCHAR NOT NULL,
        session_id VARCHAR NOT NULL, view_id VARCHAR NOT NULL, trace_id VARCHAR, span_id VARCHAR,
        name VARCHAR NOT NULL, label VARCHAR, url VARCHAR, path VARCHAR, duration_ms DOUBLE, value DOUBLE,
        status INTEGER, service_name VARCHAR, service_version VARCHAR, environment VARCHAR, user_id VARCHAR,
        user_agent VARCHAR, source VARCHAR NOT NULL, attributes JSON, fingerprint VARCHAR, browser VARCHAR,
        browser_version VARCHAR, os VARCHAR, device VARCHAR, country VARCHAR,
        last_time TIMESTAMP NOT NULL,
        PRIMARY KEY (app_id, view_id)
      );
      INSERT INTO views
        SELECT * EXCLUDE (first_time, rn) REPLACE (first_time AS time) FROM (
          SELECT *, min(time) OVER w AS first_time, time AS last_time,
            row_number() OVER (w ORDER BY time DESC) AS rn
          FROM events WHERE kind = 'view' AND view_id IS NOT NULL
          WINDOW w AS (PARTITION BY app_id, view_id))
        WHERE rn = 1;
    `,
  },
  {
    version: 8,
    name: 'a typed column for the sort of each event (exception type, resource type...)',
    sql: `
      ALTER TABLE events ADD COLUMN type VARCHAR;
      ALTER TABLE views ADD COLUMN type VARCHAR;
      -- The same reading as server/src/ingest/normalize/subtype.ts at the time of this migration.
      UPDATE events SET type = CASE kind WHEN 'error' THEN json_extract_string(attributes, '$."exception.type"') WHEN 'resource' THEN json_extract_string(attributes, '$."rum.resource.type"') WHEN 'action' THEN json_extract_string(attributes, '$."rum.action.type"') WHEN 'long_task' THEN json_extract_string(attributes, '$."rum.long_task.type"') WHEN 'web_vital' THEN json_extract_string(attributes, '$."browser.web_vital.name"') WHEN 'view' THEN json_extract_string(attributes, '$."rum.view.loading_type"') END;
      UPDATE views SET type = CASE kind WHEN 'error' THEN json_extract_string(attributes, '$."exception.type"') WHEN 'resource' THEN json_extract_string(attributes, '$."rum.resource.type"') WHEN 'action' THEN json_extract_string(attributes, '$."rum.action.type"') WHEN 'long_task' THEN json_extract_string(attributes, '$."rum.long_task.type"') WHEN 'web_vital' THEN json_extract_string(attributes, '$."browser.web_vital.name"') WHEN 'view' THEN json_extract_string(attributes, '$."rum.view.loading_type"') END;
    `,
  },
  {
    version: 10,
    name: 'per-application ingest rate limits',
    sql: `
      ALTER TABLE applications ADD COLUMN rate_limit_per_second DOUBLE;
      ALTER TABLE applications ADD COLUMN rate_limit_burst BIGINT;
    `,
  },
  {
    version: 11,
    name: 'API tokens (sha256 of the secret, never the secret)',
    sql: `
      CREATE TABLE api_tokens (
        id VARCHAR PRIMARY KEY,
        name VARCHAR NOT NULL,
        role VARCHAR NOT NULL,
        token_sha256 VARCHAR NOT NULL UNIQUE,
        created_at TIMESTAMP NOT NULL
      );
    `,
  },
  {
    version: 20,
    name: 'generated metrics: rules, series, interval buckets',
    sql: `
      CREATE TABLE generated_metric_rules (
        name VARCHAR PRIMARY KEY,
        description VARCHAR,
        kind VARCHAR NOT NULL,
        filter VARCHAR NOT NULL,
        aggregation VARCHAR NOT NULL,
        field VARCHAR,
        percentile DOUBLE,
        dimensions JSON NOT NULL,
        interval_s INTEGER NOT NULL,
        created_at TIMESTAMP NOT NULL,
        updated_at TIMESTAMP NOT NULL
      );
      CREATE TABLE generated_metric_series (
        rule VARCHAR NOT NULL,
        series_key VARCHAR NOT NULL,
        labels JSON NOT NULL,
        total_count BIGINT NOT NULL,
        total_sum DOUBLE NOT NULL,
        first_seen TIMESTAMP NOT NULL,
        last_seen TIMESTAMP NOT NULL,
        PRIMARY KEY (rule, series_key)
      );
      CREATE TABLE generated_metric_buckets (
        rule VARCHAR NOT NULL,
        series_key VARCHAR NOT NULL,
        bucket_start TIMESTAMP NOT NULL,
        count BIGINT NOT NULL,
        sum DOUBLE NOT NULL,
        min DOUBLE NOT NULL,
        max DOUBLE NOT NULL,
        sketch JSON,
        PRIMARY KEY (rule, series_key, bucket_start)
      );
    `,
  },
  {
    version: 21,
    name: 'journeys',
    sql: `
      CREATE TABLE journeys (
        id VARCHAR PRIMARY KEY,
        name VARCHAR NOT NULL,
        app_id VARCHAR,
        steps JSON NOT NULL,
        created_at TIMESTAMP NOT NULL,
        updated_at TIMESTAMP NOT NULL
      );
    `,
  },
  {
    version: 22,
    name: 'daily usage per application',
    sql: `
      CREATE TABLE usage_daily (
        app_id VARCHAR NOT NULL,
        day DATE NOT NULL,
        page_views BIGINT NOT NULL,
        sessions BIGINT NOT NULL,
        replay_ms DOUBLE NOT NULL,
        updated_at TIMESTAMP NOT NULL,
        PRIMARY KEY (app_id, day)
      );
    `,
  },
  {
    version: 30,
    name: 'one events table per kind, and a view of them all named events',
    sql: [
      ...KINDS_AT_30.map(
        (k) => `CREATE TABLE events_${k} (${EVENT_TABLE_COLUMNS});
          INSERT INTO events_${k} SELECT * FROM events WHERE kind = '${k}' ORDER BY time;`,
      ),
      'DROP TABLE events;',
      `CREATE VIEW events AS ${KINDS_AT_30.map((k) => `SELECT * FROM events_${k}`).join(' UNION ALL ')};`,
    ].join('\n'),
  },
  {
    version: 40,
    name: 'replay segment recordings',
    sql: `
      CREATE TABLE replay_segments (
        app_id VARCHAR NOT NULL,
        session_id VARCHAR NOT NULL,
        view_id VARCHAR NOT NULL,
        sequence INTEGER NOT NULL,
        time TIMESTAMP NOT NULL,
        start_ms DOUBLE NOT NULL,
        end_ms DOUBLE NOT NULL,
        event_count INTEGER NOT NULL,
        has_full_snapshot BOOLEAN NOT NULL,
        encoding VARCHAR NOT NULL,
        payload BLOB NOT NULL,
        PRIMARY KEY (app_id, session_id, view_id, sequence)
      );
    `,
  },
  {
    version: 50,
    name: 'session and view summaries appended as deltas and folded in later',
    sql: `
      CREATE TABLE session_deltas AS SELECT * FROM sessions LIMIT 0;
      CREATE TABLE view_deltas AS SELECT * FROM views LIMIT 0;
    `,
  },
  {
    version: 55,
    name: 'the privacy level each replay segment was recorded under',
    sql: `ALTER TABLE replay_segments ADD COLUMN privacy VARCHAR;`,
  },
  {
    version: 60,
    name: 'idempotency keys of committed requests (server/src/ingest/idempotency.ts)',
    sql: `
      CREATE TABLE idempotency_keys (
        key VARCHAR NOT NULL,
        committed_ms BIGINT NOT NULL,
        rejected INTEGER NOT NULL,
        error_message VARCHAR NOT NULL
      );
    `,
  },
  {
    version: 61,
    name: 'hourly rollups for issues, facets and aggregates (rollups.ts)',
    sql: `
      CREATE TABLE rollup_hours (hour TIMESTAMP PRIMARY KEY, folded_at_ms BIGINT NOT NULL, rows BIGINT NOT NULL);
      CREATE TABLE rollup_state (key VARCHAR PRIMARY KEY, value VARCHAR NOT NULL);
      CREATE TABLE rollup_counts (
        source VARCHAR NOT NULL, app_id VARCHAR, hour TIMESTAMP NOT NULL, dim VARCHAR NOT NULL,
        value VARCHAR, n BIGINT NOT NULL
      );
      CREATE TABLE rollup_values (
        source VARCHAR NOT NULL, app_id VARCHAR, hour TIMESTAMP NOT NULL, field VARCHAR NOT NULL,
        dim VARCHAR NOT NULL, value VARCHAR, k INTEGER NOT NULL, n BIGINT NOT NULL, total DOUBLE NOT NULL,
        lo DOUBLE NOT NULL, hi DOUBLE NOT NULL
      );
      CREATE TABLE rollup_issues (
        app_id VARCHAR, hour TIMESTAMP NOT NULL, fingerprint VARCHAR NOT NULL, n BIGINT NOT NULL,
        first_time TIMESTAMP NOT NULL, last_time TIMESTAMP NOT NULL, message VARCHAR, type VARCHAR
      );
      CREATE TABLE rollup_issue_sessions (
        app_id VARCHAR, hour TIMESTAMP NOT NULL, fingerprint VARCHAR NOT NULL, session_hash UBIGINT NOT NULL
      );
    `,
  },
  {
    version: 62,
    name: "each issue's distinct sessions per hour, and the (issue, session) pairs of more than one hour (rollups.ts)",
    // The rollups are dropped: the job folds every hour again, with the new columns.
    sql: `
      DELETE FROM rollup_hours;
      DELETE FROM rollup_counts;
      DELETE FROM rollup_values;
      DELETE FROM rollup_issue_sessions;
      DROP TABLE rollup_issues;
      CREATE TABLE rollup_issues (
        app_id VARCHAR, hour TIMESTAMP NOT NULL, fingerprint VARCHAR NOT NULL, n BIGINT NOT NULL,
        first_time TIMESTAMP NOT NULL, last_time TIMESTAMP NOT NULL, message VARCHAR, type VARCHAR,
        sessions BIGINT NOT NULL
      );
      CREATE TABLE rollup_issue_sessions_multi (
        app_id VARCHAR, hour TIMESTAMP NOT NULL, fingerprint VARCHAR NOT NULL, session_hash UBIGINT NOT NULL
      );
    `,
  },
];
