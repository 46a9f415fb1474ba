import { APP_ID_PATTERN, MAX_APP_ID_LENGTH } from '@otel-rum/model';

/** The app's settings (plugin settings jsonData); the admin token is in secureJsonData, never here. */
export interface AppJsonData {
  /** The otel-rum server as Grafana's server reaches it: the proxy route's target. */
  serverUrl?: string;
  /** Price tiers of the usage page's cost estimate (pages/Usage/usage.ts), set by an admin there. */
  usageTiers?: Array<{ upTo: number | null; pricePer1000: number }>;
  /** The currency the estimate is shown in (text, e.g. USD). */
  usageCurrency?: string;
}

/** The actions the plugin.json roles grant (Viewer: read, Editor: issues, Admin: manage). */
export const ACTIONS = {
  read: 'otelrum-rum-app.data:read',
  triage: 'otelrum-rum-app.issues:write',
  manage: 'otelrum-rum-app.manage:write',
} as const;

const ROLE_ACTIONS: Record<string, ReadonlyArray<keyof typeof ACTIONS>> = {
  Viewer: ['read'],
  Editor: ['read', 'triage'],
  Admin: ['read', 'triage', 'manage'],
};

/**
 * Whether the signed-in user may do `what`: from RBAC permissions when Grafana sends them, else from
 * the basic role as plugin.json's grants map it. Only hides controls; Grafana's proxy enforces it.
 */
export function canDo(what: keyof typeof ACTIONS): boolean {
  // Read from the boot data Grafana's index page sets: @grafana/runtime's `config` changes shape from
  // release to release, which would tie the app to one Grafana version (levitate against 13.1.0).
  const user = (
    window as unknown as {
      grafanaBootData?: {
        user?: { permissions?: Record<string, boolean>; isGrafanaAdmin?: boolean; orgRole?: string };
      };
    }
  ).grafanaBootData?.user;
  const permissions = user?.permissions;
  if (permissions && Object.keys(permissions).length) return permissions[ACTIONS[what]] === true;
  if (user?.isGrafanaAdmin) return true;
  return (ROLE_ACTIONS[user?.orgRole ?? ''] ?? []).includes(what);
}

/** Why an application id is refused, as the server's rule (model APP_ID_PATTERN) says; undefined when fine. */
export function appIdProblem(appId: string): string | undefined {
  if (appId === '') return 'An application id is required';
  if (appId.length > MAX_APP_ID_LENGTH)
    return `At most ${MAX_APP_ID_LENGTH} characters (this one has ${appId.length})`;
  if (!APP_ID_PATTERN.test(appId)) {
    const bad = [...new Set(appId.replace(/[A-Za-z0-9_]/g, ''))].map((c) => (c === ' ' ? 'space' : `"${c}"`));
    return `Only letters, digits and underscore: remove ${bad.join(', ')}`;
  }
  return undefined;
}

/** Why a server URL cannot be used as the proxy target; undefined when fine. */
export function serverUrlProblem(url: string): string | undefined {
  if (!url.trim()) return 'The server URL is required';
  try {
    const u = new URL(url);
    if (u.protocol !== 'http:' && u.protocol !== 'https:') return 'Use an http:// or https:// URL';
    if (u.pathname !== '/' || u.search) return 'Give the server root only, e.g. http://otel-rum:4318';
  } catch {
    return `Not a URL: "${url}" (e.g. http://otel-rum:4318)`;
  }
  return undefined;
}
