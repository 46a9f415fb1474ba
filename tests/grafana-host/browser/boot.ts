/*
 * What Grafana's index page sets before any of its packages load: @grafana/runtime's `config` reads
 * window.grafanaBootData when first imported, so this module is the host's first import.
 */
const w = window as unknown as Record<string, unknown>;
const search = new URLSearchParams(location.search);
const theme = search.get('theme') === 'light' ? 'light' : 'dark';
// The host user's basic role (?role=Viewer|Editor|Admin); the host server checks the same role.
const role = ['Viewer', 'Editor', 'Admin'].includes(search.get('role') ?? '') ? search.get('role') : 'Admin';
w.grafanaBootData = {
  user: {
    id: 1,
    login: 'admin',
    orgId: 1,
    orgRole: role,
    isGrafanaAdmin: role === 'Admin',
    theme,
    lightTheme: theme === 'light',
    timezone: 'utc',
    locale: 'en-US',
    language: 'en-US',
  },
  settings: {
    appUrl: `${location.origin}/`,
    appSubUrl: '',
    buildInfo: {
      version: '13.2.3',
      edition: 'Open Source',
      env: 'production',
      commit: 'host',
      buildstamp: 0,
    },
    featureToggles: {},
    datasources: {},
    panels: {},
    apps: {},
    theme2: undefined,
    bootData: undefined,
  },
  navTree: [],
  themePaths: {},
};
w.__grafana_public_path__ = '/public/';
export {};
