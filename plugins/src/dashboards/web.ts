/*
 * The analysis dashboards of a web application: overview, performance, errors, resources, users and
 * environments. Every panel queries the otel-rum data source; every dashboard is templated by data
 * source, application, environment, version and page. README.md beside this file lists the panels.
 */
import { ThresholdsMode, type Dashboard, type FieldConfigSource } from '@grafana/schema';
import { WEB_VITAL_THRESHOLDS, type WebVitalName } from '@otel-rum/model';
import { identity } from './catalog';
import {
  bars,
  dashboard,
  ENV_VERSION,
  pie,
  q,
  rumPanel,
  sessionVariable,
  stat,
  table,
  timeseries,
  webVariables,
} from './build';

export const WEB_VITALS_PANEL_ID = 'otelrum-webvitals-panel';
export const TIMELINE_PANEL_ID = 'otelrum-timeline-panel';
export const REPLAY_PANEL_ID = 'otelrum-replay-panel';

const ms: FieldConfigSource = { defaults: { unit: 'ms' }, overrides: [] };

/** A p75 series of one web vital with its good / needs improvement / poor bands as thresholds. */
function vitalFieldConfig(name: WebVitalName): FieldConfigSource {
  const [good, poor] = WEB_VITAL_THRESHOLDS[name];
  return {
    defaults: {
      unit: name === 'cls' ? 'none' : 'ms',
      decimals: name === 'cls' ? 3 : 0,
      thresholds: {
        mode: ThresholdsMode.Absolute,
        steps: [
          { value: null, color: 'green' },
          { value: good, color: 'orange' },
          { value: poor, color: 'red' },
        ],
      },
      custom: { thresholdsStyle: { mode: 'dashed+area' } },
    },
    overrides: [],
  };
}

function vitalP75(name: WebVitalName, label: string) {
  return timeseries(
    `p75 ${label} by page`,
    [
      q({
        queryType: 'timeseries',
        kind: 'web_vital',
        aggregation: 'p75',
        field: 'value',
        groupBy: ['path'],
        filters: [{ field: 'type', op: '=', value: name }],
      }),
    ],
    vitalFieldConfig(name),
    8,
  );
}

export const overview: Dashboard = dashboard({
  ...identity('web-overview.json'),
  description: 'Page views, sessions, errors, satisfaction and the top pages of a web application',
  tags: ['web'],
  panels: [
    stat('Page views', q({ queryType: 'timeseries', kind: 'view', aggregation: 'count' })),
    stat(
      'Sessions',
      q({ queryType: 'events', kind: 'session', limit: 1000 }, []),
      { reduceOptions: { calcs: ['count'], fields: '/^Session$/', values: false }, graphMode: 'none' },
      { defaults: { description: 'Counted up to 1000 (one page of the sessions list)' }, overrides: [] },
    ),
    stat('Errors', q({ queryType: 'timeseries', kind: 'error', aggregation: 'count' }), {
      colorMode: 'value',
    }),
    stat(
      'Errors per second',
      q({ queryType: 'timeseries', kind: 'error', aggregation: 'rate' }),
      { reduceOptions: { calcs: ['mean'], fields: '', values: false } },
      { defaults: { unit: 'cps', decimals: 3 }, overrides: [] },
    ),
    timeseries('Page views by page', [
      q({ queryType: 'timeseries', kind: 'view', aggregation: 'count', groupBy: ['path'] }),
    ]),
    timeseries('Errors by page', [
      q({ queryType: 'timeseries', kind: 'error', aggregation: 'count', groupBy: ['path'] }),
    ]),
    pie(
      'Satisfaction: page loads by LCP rating',
      q({
        queryType: 'facets',
        kind: 'web_vital',
        facetField: 'attr.browser.web_vital.rating',
        filters: [{ field: 'type', op: '=', value: 'lcp' }],
      }),
    ),
    bars('Top pages', q({ queryType: 'facets', kind: 'view', facetField: 'path', limit: 10 })),
    bars('Top users', q({ queryType: 'facets', kind: 'view', facetField: 'user', limit: 10 })),
    table('Latest sessions', q({ queryType: 'events', kind: 'session', limit: 50 }, []), 24, 9),
  ],
});

export const performance: Dashboard = dashboard({
  ...identity('web-performance.json'),
  description: 'Web vitals per page against their thresholds, the slowest views and resources, long tasks',
  tags: ['web'],
  panels: [
    rumPanel(
      WEB_VITALS_PANEL_ID,
      'Web vitals by page (p75)',
      [q({ queryType: 'events', kind: 'web_vital', limit: 1000 })],
      { percentile: 75, groupBy: 'path', vitals: ['lcp', 'inp', 'cls', 'fcp', 'ttfb'] },
      24,
      10,
    ),
    vitalP75('lcp', 'LCP'),
    vitalP75('inp', 'INP'),
    vitalP75('cls', 'CLS'),
    timeseries(
      'p75 view load time by page',
      [
        q({
          queryType: 'timeseries',
          kind: 'view',
          aggregation: 'p75',
          field: 'duration',
          groupBy: ['path'],
        }),
      ],
      ms,
    ),
    timeseries('Long tasks by page', [
      q({ queryType: 'timeseries', kind: 'long_task', aggregation: 'count', groupBy: ['path'] }),
    ]),
    table('Slowest views', q({ queryType: 'events', kind: 'view', sort: '-duration', limit: 20 })),
    table(
      'Slowest resources',
      q({ queryType: 'events', kind: 'resource', sort: '-duration', limit: 20 }, ENV_VERSION),
    ),
    table(
      'Longest long tasks',
      q({ queryType: 'events', kind: 'long_task', sort: '-duration', limit: 20 }),
      24,
    ),
  ],
});

export const errors: Dashboard = dashboard({
  ...identity('web-errors.json'),
  description: 'Issues, error rate by version and browser, new issues and the latest errors',
  tags: ['web'],
  panels: [
    table('Open issues', q({ queryType: 'issues', status: 'open', limit: 50 }), 24, 9),
    timeseries('Errors by version', [
      q({ queryType: 'timeseries', kind: 'error', aggregation: 'count', groupBy: ['version'] }),
    ]),
    timeseries('Errors per second by browser', [
      q({ queryType: 'timeseries', kind: 'error', aggregation: 'rate', groupBy: ['browser'] }),
    ]),
    bars('Errors by browser', q({ queryType: 'facets', kind: 'error', facetField: 'browser' })),
    bars('Errors by type', q({ queryType: 'facets', kind: 'error', facetField: 'type' })),
    bars('Errors by page', q({ queryType: 'facets', kind: 'error', facetField: 'path' })),
    table('New issues (first seen last)', q({ queryType: 'issues', limit: 50 }), 12, 9, undefined, [
      { id: 'sortBy', options: { fields: {}, sort: [{ field: 'First seen', desc: true }] } },
    ]),
    table('Latest errors', q({ queryType: 'events', kind: 'error', limit: 50 })),
  ],
});

export const resources: Dashboard = dashboard({
  ...identity('web-resources.json'),
  description:
    'Slowest and failing resources and API calls, by type and host, with the backend traces behind the slowest',
  tags: ['web'],
  panels: [
    timeseries(
      'p75 duration by resource type',
      [
        q(
          {
            queryType: 'timeseries',
            kind: 'resource',
            aggregation: 'p75',
            field: 'duration',
            groupBy: ['name'],
          },
          ENV_VERSION,
        ),
      ],
      ms,
    ),
    timeseries('Failing requests by status', [
      q(
        {
          queryType: 'timeseries',
          kind: 'resource',
          aggregation: 'count',
          groupBy: ['status'],
          filters: [{ field: 'status', op: '>=', value: '400' }],
        },
        ENV_VERSION,
      ),
    ]),
    bars('Resources by type', q({ queryType: 'facets', kind: 'resource', facetField: 'type' }, ENV_VERSION)),
    bars(
      'Resources by host',
      q({ queryType: 'facets', kind: 'resource', facetField: 'attr.server.address' }, ENV_VERSION),
    ),
    bars(
      'Failing resources by URL',
      q(
        {
          queryType: 'facets',
          kind: 'resource',
          facetField: 'url',
          filters: [{ field: 'status', op: '>=', value: '400' }],
        },
        ENV_VERSION,
      ),
    ),
    table(
      'Slowest resources, with their backend traces',
      q({ queryType: 'events', kind: 'resource', sort: '-duration', limit: 20 }, ENV_VERSION),
      24,
    ),
    table(
      'Failing resources',
      q(
        {
          queryType: 'events',
          kind: 'resource',
          limit: 50,
          filters: [{ field: 'status', op: '>=', value: '400' }],
        },
        ENV_VERSION,
      ),
      24,
    ),
  ],
});

function environmentBars(title: string, field: string) {
  return bars(title, q({ queryType: 'facets', kind: 'view', facetField: field }), 8, 8);
}

export const usersAndEnvironments: Dashboard = dashboard({
  ...identity('web-users.json'),
  description:
    'Page views by browser, operating system, device, country, version and environment; the top users',
  tags: ['web'],
  panels: [
    environmentBars('Browsers', 'browser'),
    environmentBars('Operating systems', 'os'),
    environmentBars('Devices', 'device'),
    environmentBars('Countries', 'country'),
    environmentBars('Versions', 'version'),
    environmentBars('Environments', 'env'),
    timeseries('Page views by browser', [
      q({ queryType: 'timeseries', kind: 'view', aggregation: 'count', groupBy: ['browser'] }),
    ]),
    table('Top users', q({ queryType: 'facets', kind: 'view', facetField: 'user', limit: 20 })),
  ],
});

/** Events of the chosen session, one query per kind, for the timeline and the tables. */
const IN_SESSION = [{ field: 'session', op: '=' as const, value: '$session' }];
const sessionEvents = (kind: 'view' | 'action' | 'resource' | 'error' | 'long_task') =>
  q({ queryType: 'events', kind, limit: 1000, filters: IN_SESSION }, []);

export const session: Dashboard = dashboard({
  ...identity('web-session.json'),
  description:
    'One session: its replay, its events as a waterfall with their traces, its errors and resources',
  tags: ['web'],
  variables: [...webVariables().filter((v) => v.name === 'ds' || v.name === 'app'), sessionVariable()],
  panels: [
    rumPanel(
      REPLAY_PANEL_ID,
      'Replay',
      [q({ queryType: 'events', kind: 'session', limit: 1, filters: IN_SESSION }, [])],
      { sessionId: '${session}', appId: '${app}', speed: 1, skipInactive: true },
      24,
      14,
    ),
    rumPanel(
      TIMELINE_PANEL_ID,
      'Timeline',
      [
        sessionEvents('view'),
        sessionEvents('action'),
        sessionEvents('resource'),
        sessionEvents('error'),
        sessionEvents('long_task'),
      ],
      { kinds: [], maxRows: 500 },
      24,
      14,
    ),
    table('Errors', sessionEvents('error')),
    table('Resources, with their traces', sessionEvents('resource')),
  ],
});
