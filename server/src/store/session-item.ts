import type { SessionItem } from './store';

/** An ISO time from microseconds since the epoch, as either store's driver gives them (bigint, number or text). */
export function isoFromMicros(us: unknown): string {
  return new Date(Number(BigInt(String(us)) / 1000n)).toISOString();
}

const text = (v: unknown) => (v as string | null | undefined) ?? null;

/** A session summary row of either store (the columns of their session reads) as the API gives it. */
export function toSessionItem(r: Record<string, unknown>): SessionItem {
  const start = BigInt(String(r.start_us));
  const end = BigInt(String(r.end_us));
  return {
    appId: String(r.app_id),
    sessionId: String(r.session_id),
    start: isoFromMicros(start),
    end: isoFromMicros(end),
    durationMs: Number(end - start) / 1000,
    viewCount: Number(r.view_count),
    errorCount: Number(r.error_count),
    actionCount: Number(r.action_count),
    resourceCount: Number(r.resource_count),
    eventCount: Number(r.event_count),
    userId: text(r.user_id),
    userAgent: text(r.user_agent),
    firstUrl: text(r.first_url),
    environment: text(r.environment),
    serviceVersion: text(r.service_version),
    browser: text(r.browser),
    os: text(r.os),
    device: text(r.device),
    country: text(r.country),
    // DuckDB gives a boolean; ClickHouse's JSON a boolean or a UInt8.
    hasReplay: r.has_replay === true || Number(r.has_replay) === 1,
  };
}
