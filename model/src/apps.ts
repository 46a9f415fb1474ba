/** Applications as the management API and the Grafana app both name them (server/README.md). */

/** The kinds of application the integration snippets are written for. */
export const APP_TYPES = [
  'web',
  'miniapp',
  'android',
  'ios',
  'macos',
  'react-native',
  'flutter',
  'uniapp',
  'cpp',
  'custom',
] as const;
export type AppType = (typeof APP_TYPES)[number];

/** Retention choices offered by the UI; any whole number of days up to MAX_RETENTION_DAYS is accepted. */
export const RETENTION_CHOICES = [3, 7, 14] as const;
