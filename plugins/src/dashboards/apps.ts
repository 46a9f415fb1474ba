/*
 * The analysis dashboards of native and mini-program applications: screens, taps, requests, crashes,
 * app starts and devices, from what the server maps out of their SDKs (server/src/ingest/normalize/
 * README.md, "Native apps"). Screens are views labelled with the screen name (they have no URL), so
 * these dashboards group by label where the web ones group by path, and have no page variable.
 * README.md beside this file lists the panels, and which stay empty for which SDK.
 */
import type { Dashboard, FieldConfigSource, VariableModel } from '@grafana/schema';
import {
  APP_SCREEN_NAME,
  DEVICE_MODEL_IDENTIFIER,
  DEVICE_MODEL_NAME,
  OS_VERSION,
  RUM_ERROR_SOURCE,
  RUM_VIEW_LOADING_TIME,
} from '@otel-rum/model';
import type { FilterTerm } from '../datasource/types';
import { identity } from './catalog';
import { bars, dashboard, ENV_VERSION, pie, q, stat, table, timeseries, webVariables } from './build';

const ms: FieldConfigSource = { defaults: { unit: 'ms' }, overrides: [] };

/** An attribute as the query language names it: attr.<key>. */
const attr = (key: string) => `attr.${key}`;

const CRASHES: FilterTerm[] = [{ field: `attr."${RUM_ERROR_SOURCE}"`, op: '=', value: 'crash' }];
const APP_STARTS: FilterTerm[] = [{ field: 'type', op: '=', value: 'app_start' }];
const NATIVE_REQUESTS: FilterTerm[] = [{ field: 'type', op: '=', value: 'native' }];

/** Data source, application, environment and version: no page, since screens have no URL. */
function appVariables(): VariableModel[] {
  return webVariables().filter((v) => v.name !== 'page');
}

/** The panels both kinds of app share: activity, crashes, screens, requests. */
function activityPanels(screens: string) {
  return [
    stat(`${screens} shown`, q({ queryType: 'timeseries', kind: 'view', aggregation: 'count' }, ENV_VERSION)),
    stat(
      'Sessions',
      q({ queryType: 'events', kind: 'session', limit: 1000 }, []),
      { reduceOptions: { calcs: ['count'], fields: '/^Session$/', values: false }, graphMode: 'none' },
      { defaults: { description: 'Counted up to 1000 (one page of the sessions list)' }, overrides: [] },
    ),
    stat(
      'Crashes',
      q({ queryType: 'timeseries', kind: 'error', aggregation: 'count', filters: CRASHES }, ENV_VERSION),
    ),
    stat('Taps', q({ queryType: 'timeseries', kind: 'action', aggregation: 'count' }, ENV_VERSION)),
    timeseries('Errors by source (crash, anr, hang, span...)', [
      q(
        { queryType: 'timeseries', kind: 'error', aggregation: 'count', groupBy: [attr(RUM_ERROR_SOURCE)] },
        ENV_VERSION,
      ),
    ]),
    timeseries('Crashes by version', [
      q(
        {
          queryType: 'timeseries',
          kind: 'error',
          aggregation: 'count',
          groupBy: ['version'],
          filters: CRASHES,
        },
        ENV_VERSION,
      ),
    ]),
    timeseries(
      'p75 app start by version',
      [
        q(
          {
            queryType: 'timeseries',
            kind: 'view',
            aggregation: 'p75',
            field: attr(RUM_VIEW_LOADING_TIME),
            groupBy: ['version'],
            filters: APP_STARTS,
          },
          ENV_VERSION,
        ),
      ],
      ms,
    ),
    timeseries(
      'p75 request duration by host',
      [
        q(
          {
            queryType: 'timeseries',
            kind: 'resource',
            aggregation: 'p75',
            field: 'duration',
            groupBy: [attr('server.address')],
            filters: NATIVE_REQUESTS,
          },
          ENV_VERSION,
        ),
      ],
      ms,
    ),
    bars(`${screens} by views`, q({ queryType: 'facets', kind: 'view', facetField: 'label' }, ENV_VERSION)),
    bars(
      `Crashes by ${screens.toLowerCase()}`,
      q(
        { queryType: 'facets', kind: 'error', facetField: attr(APP_SCREEN_NAME), filters: CRASHES },
        ENV_VERSION,
      ),
    ),
    bars('Taps by target', q({ queryType: 'facets', kind: 'action', facetField: 'label' }, ENV_VERSION)),
    bars(
      'Failing requests by status',
      q(
        {
          queryType: 'facets',
          kind: 'resource',
          facetField: 'status',
          filters: [...NATIVE_REQUESTS, { field: 'status', op: '>=', value: '400' }],
        },
        ENV_VERSION,
      ),
    ),
    table('Open issues', q({ queryType: 'issues', status: 'open', limit: 50 }, ENV_VERSION), 24, 9),
  ];
}

/** The panels of devices: OS and its version, device model, app version. */
function devicePanels() {
  return [
    pie('Views by OS', q({ queryType: 'facets', kind: 'view', facetField: 'os' }, ENV_VERSION), 6),
    pie(
      'Views by OS version',
      q({ queryType: 'facets', kind: 'view', facetField: attr(OS_VERSION) }, ENV_VERSION),
      6,
    ),
    pie(
      'Views by device model',
      q({ queryType: 'facets', kind: 'view', facetField: attr(DEVICE_MODEL_NAME) }, ENV_VERSION),
      6,
    ),
    pie(
      'Views by app version',
      q({ queryType: 'facets', kind: 'view', facetField: 'version' }, ENV_VERSION),
      6,
    ),
  ];
}

export const mobileOverview: Dashboard = dashboard({
  ...identity('mobile-overview.json'),
  description:
    'Screens, taps, requests, crashes, ANRs and hangs, app start and devices of a mobile or desktop app (Android, iOS, macOS, React Native, Flutter, C++)',
  tags: ['mobile'],
  variables: appVariables(),
  panels: [
    ...activityPanels('Screens'),
    ...devicePanels(),
    bars(
      'Crashes by device model identifier (iOS)',
      q(
        { queryType: 'facets', kind: 'error', facetField: attr(DEVICE_MODEL_IDENTIFIER), filters: CRASHES },
        ENV_VERSION,
      ),
      12,
    ),
    table(
      'Latest crashes, ANRs and hangs',
      q(
        {
          queryType: 'events',
          kind: 'error',
          limit: 50,
          filters: [{ field: `attr."${RUM_ERROR_SOURCE}"`, op: 'in', values: ['crash', 'anr', 'hang'] }],
        },
        ENV_VERSION,
      ),
      12,
    ),
  ],
});

export const miniProgramOverview: Dashboard = dashboard({
  ...identity('miniprogram-overview.json'),
  description: 'Pages, taps, requests, errors and devices of a mini program or uni-app app',
  tags: ['miniprogram'],
  variables: appVariables(),
  panels: [
    ...activityPanels('Pages'),
    ...devicePanels(),
    table('Latest errors', q({ queryType: 'events', kind: 'error', limit: 50 }, ENV_VERSION), 24),
  ],
});
