import {
  CustomVariableSupport,
  DataSourceApi,
  LoadingState,
  createDataFrame,
  FieldType,
  type CoreApp,
  type DataQueryError,
  type DataQueryRequest,
  type DataQueryResponse,
  type DataSourceInstanceSettings,
  type MetricFindValue,
  type ScopedVars,
} from '@grafana/data';
import { getDataSourceSrv, getTemplateSrv, type TemplateSrv } from '@grafana/runtime';
import { FILTER_FIELDS, MAX_FACET_VALUES } from '@otel-rum/model';
import { forkJoin, lastValueFrom, map, Observable, of, catchError, switchMap } from 'rxjs';
import { RumApi, RumApiError } from './api';
import { annotationFrame, errorSpikes, newVersions } from './annotations';
import {
  aggregateFrames,
  eventsFrame,
  facetFrame,
  funnelFrame,
  issuesFrame,
  sessionsFrame,
  timelineFrame,
  traceFrame,
  type FrameContext,
  type TraceTarget,
} from './frames/frames';
import type {
  AggregateAnswer,
  Application,
  EventItem,
  FacetAnswer,
  IssueItem,
  JourneyAnalysisAnswer,
  Page,
  SessionItem,
  SpanItem,
} from './frames/types';
import { checkHealth, type HealthResult } from './health';
import { codeFormat, FilterBuildError, type AdHocFilter, type Interpolate } from './query/filter';
import { appScope, buildFilter, buildRequest, type RequestContext } from './query/request';
import { DEFAULT_QUERY, type RumJsonData, type RumQuery, type RumVariableQuery } from './types';
import { VariableQueryEditor } from './components/VariableQueryEditor';
import { AnnotationQueryEditor } from './components/AnnotationQueryEditor';

export class RumDataSource extends DataSourceApi<RumQuery, RumJsonData> {
  readonly api: RumApi;
  readonly jsonData: RumJsonData;

  constructor(
    readonly instanceSettings: DataSourceInstanceSettings<RumJsonData>,
    private readonly templateSrv: TemplateSrv = getTemplateSrv(),
  ) {
    super(instanceSettings);
    this.jsonData = instanceSettings.jsonData ?? {};
    this.api = new RumApi(instanceSettings.url ?? '', this.jsonData.serverUrl);
    this.variables = new RumVariableSupport(this);
    this.annotations = {
      QueryEditor: AnnotationQueryEditor,
      prepareAnnotation: (json) =>
        ({
          ...json,
          target: { ...(json.target ?? {}), annotation: json.target?.annotation ?? 'version' },
        }) as never,
    };
  }

  override getDefaultQuery(_app: CoreApp): Partial<RumQuery> {
    return DEFAULT_QUERY;
  }

  override filterQuery(query: RumQuery): boolean {
    return !query.hide;
  }

  /** Where trace ids lead: the configured Tempo/Jaeger data source, or this one's trace query. */
  traceTarget(): TraceTarget {
    const uid = this.jsonData.tracesDatasourceUid;
    if (uid) {
      const name = getDataSourceSrv().getInstanceSettings(uid)?.name ?? uid;
      return { datasourceUid: uid, datasourceName: name, self: false };
    }
    return { datasourceUid: this.uid, datasourceName: this.name, self: true };
  }

  private interpolator(scopedVars: ScopedVars): Interpolate {
    return (text, format) => this.templateSrv.replace(text, scopedVars, format as never);
  }

  private context(request: DataQueryRequest<RumQuery>): RequestContext {
    // Dashboards pass ad hoc filters with the request; older ones only through templateSrv.
    const legacy = (this.templateSrv as { getAdhocFilters?: (name: string) => AdHocFilter[] })
      .getAdhocFilters;
    const filters = (request.filters ?? legacy?.call(this.templateSrv, this.name) ?? []) as AdHocFilter[];
    return {
      fromMs: request.range.from.valueOf(),
      toMs: request.range.to.valueOf(),
      intervalMs: request.intervalMs,
      defaultAppId: this.jsonData.defaultAppId,
      adHocFilters: filters,
      interpolate: this.interpolator(request.scopedVars),
    };
  }

  override query(request: DataQueryRequest<RumQuery>): Observable<DataQueryResponse> {
    const targets = request.targets.filter((t) => !t.hide);
    if (!targets.length) return of({ data: [], state: LoadingState.Done });
    let ctx: RequestContext;
    try {
      ctx = this.context(request);
    } catch (e) {
      return of({ data: [], errors: [toQueryError(e, targets[0]!.refId)], state: LoadingState.Error });
    }
    const runs = targets.map((t) =>
      this.runTarget(t, ctx, `${request.requestId}_${t.refId}`).pipe(
        map((data) => ({ data, errors: [] as DataQueryError[] })),
        catchError((e) => of({ data: [], errors: [toQueryError(e, t.refId)] })),
      ),
    );
    return forkJoin(runs).pipe(
      map((results) => {
        const errors = results.flatMap((r) => r.errors);
        return {
          data: results.flatMap((r) => r.data),
          errors: errors.length ? errors : undefined,
          error: errors[0],
          state: errors.length ? LoadingState.Error : LoadingState.Done,
        };
      }),
    );
  }

  /** One target's frames; unsubscribing cancels its request. */
  runTarget(
    query: RumQuery,
    ctx: RequestContext,
    requestId?: string,
  ): Observable<import('@grafana/data').DataFrame[]> {
    if (query.annotation) return this.annotationFrames(query, ctx, requestId);
    const req = buildRequest(query, ctx);
    const fc: FrameContext = { refId: query.refId, traceTarget: this.traceTarget() };
    const get = <T>() => this.api.get<T>(req.path, req.params, requestId);
    switch (query.queryType ?? 'events') {
      case 'events':
        return (query.kind ?? 'view') === 'session'
          ? get<Page<SessionItem>>().pipe(map((p) => [sessionsFrame(p, fc)]))
          : get<Page<EventItem>>().pipe(map((p) => [eventsFrame(p, query.kind ?? 'view', fc)]));
      case 'timeseries':
        return get<AggregateAnswer>().pipe(map((a) => aggregateFrames(a, fc)));
      case 'issues':
        return get<Page<IssueItem>>().pipe(map((p) => [issuesFrame(p, fc)]));
      case 'timeline':
        return get<{ items: EventItem[] }>().pipe(map((t) => [timelineFrame(t.items, fc)]));
      case 'trace':
        return get<{ traceId: string; spans: SpanItem[] }>().pipe(
          map((t) => [traceFrame(t.traceId, t.spans, fc)]),
        );
      case 'facets':
        return get<FacetAnswer>().pipe(map((f) => [facetFrame(f, fc)]));
      case 'funnel':
        return get<JourneyAnalysisAnswer>().pipe(map((j) => [funnelFrame(j, fc)]));
    }
  }

  private annotationFrames(query: RumQuery, ctx: RequestContext, requestId?: string) {
    const scope = appScope(query, ctx);
    const filter = buildFilter(query, ctx, scope.condition);
    const range = { from: ctx.fromMs, to: ctx.toMs };
    const interval = `${Math.max(60, Math.ceil((ctx.toMs - ctx.fromMs) / 1000 / 200))}s`;
    if (query.annotation === 'error_spike') {
      return this.api
        .get<AggregateAnswer>(
          '/api/v1/aggregate',
          { app_id: scope.appId, ...range, kind: 'error', aggregation: 'count', interval, filter },
          requestId,
        )
        .pipe(map((a) => [annotationFrame(query.refId, errorSpikes(a, ctx.fromMs, ctx.toMs))]));
    }
    return this.api
      .get<FacetAnswer>(
        '/api/v1/facets',
        { app_id: scope.appId, to: ctx.fromMs, field: 'version', limit: MAX_FACET_VALUES, filter },
        requestId,
      )
      .pipe(
        switchMap((before) =>
          this.api
            .get<AggregateAnswer>(
              '/api/v1/aggregate',
              { app_id: scope.appId, ...range, aggregation: 'count', interval, group_by: 'version', filter },
              requestId,
            )
            .pipe(map((during) => [annotationFrame(query.refId, newVersions(before, during))])),
        ),
      );
  }

  override async testDatasource(): Promise<HealthResult> {
    return checkHealth(this.api, {
      serverUrl: this.jsonData.serverUrl,
      defaultAppId: this.jsonData.defaultAppId,
    });
  }

  /** Registered applications, for editors and variables. */
  async applications(): Promise<Application[]> {
    return (await lastValueFrom(this.api.get<{ items: Application[] }>('/api/v1/apps'))).items;
  }

  /** Top values of a field, for autocomplete, variables and ad hoc filters. */
  async facetValues(
    field: string,
    opts: {
      appId?: string;
      kind?: string;
      filter?: string;
      fromMs?: number;
      toMs?: number;
      limit?: number;
    } = {},
  ): Promise<Array<{ value: string; count: number }>> {
    const appId = opts.appId ? this.templateSrv.replace(opts.appId) : this.jsonData.defaultAppId;
    const answer = await lastValueFrom(
      this.api.get<FacetAnswer>('/api/v1/facets', {
        field,
        app_id: appId || undefined,
        kind: opts.kind && opts.kind !== 'session' ? opts.kind : undefined,
        filter: opts.filter
          ? this.templateSrv.replace(opts.filter, undefined, codeFormat as never)
          : undefined,
        from: opts.fromMs,
        to: opts.toMs,
        limit: opts.limit ?? MAX_FACET_VALUES,
      }),
    );
    return answer.values
      .filter((v) => v.value !== null && v.value !== '')
      .map((v) => ({ value: String(v.value), count: v.count }));
  }

  /** Ad hoc filter keys: the model's fields. */
  override async getTagKeys(): Promise<MetricFindValue[]> {
    return Object.keys(FILTER_FIELDS)
      .filter((k) => k !== 'time')
      .map((k) => ({ text: k }));
  }

  override async getTagValues(options: { key: string }): Promise<MetricFindValue[]> {
    return (await this.facetValues(options.key)).map((v) => ({ text: v.value }));
  }

  /** "Open in Explore" from a dashboard: the queries with their variables resolved. */
  override interpolateVariablesInQueries(queries: RumQuery[], scopedVars: ScopedVars): RumQuery[] {
    const r = (s: string | undefined, format?: (v: unknown) => string) =>
      s ? this.templateSrv.replace(s, scopedVars, format as never) : s;
    return queries.map((q) => ({
      ...q,
      datasource: this.getRef(),
      appId: r(q.appId),
      filter: r(q.filter, codeFormat),
      sessionId: r(q.sessionId),
      traceId: r(q.traceId),
    }));
  }
}

/** A failure as Grafana shows it under the query, with the editor field it is about. */
export function toQueryError(e: unknown, refId: string): DataQueryError & { parameter?: string } {
  if (e instanceof RumApiError)
    return { message: e.message, status: e.status, refId, parameter: e.parameter };
  if (e instanceof FilterBuildError) return { message: e.message, refId, parameter: 'filter' };
  return { message: e instanceof Error ? e.message : String(e), refId };
}

/** Template variables: the applications, or the top values of any field. */
export class RumVariableSupport extends CustomVariableSupport<RumDataSource, RumVariableQuery> {
  editor = VariableQueryEditor;

  constructor(private readonly ds: RumDataSource) {
    super();
  }

  query(request: DataQueryRequest<RumVariableQuery>): Observable<DataQueryResponse> {
    const q = request.targets[0];
    const run = async (): Promise<DataQueryResponse> => {
      let values: Array<{ text: string; value: string }>;
      if (!q || q.type === 'applications') {
        values = (await this.ds.applications()).map((a) => ({
          text: a.name && a.name !== a.appId ? `${a.name} (${a.appId})` : a.appId,
          value: a.appId,
        }));
      } else {
        if (!q.field) throw new FilterBuildError('choose the field whose values the variable lists');
        values = (
          await this.ds.facetValues(q.field, {
            appId: q.appId,
            kind: q.kind,
            filter: q.filter,
            fromMs: request.range?.from.valueOf(),
            toMs: request.range?.to.valueOf(),
          })
        ).map((v) => ({ text: v.value, value: v.value }));
      }
      return {
        data: [
          createDataFrame({
            fields: [
              { name: 'text', type: FieldType.string, values: values.map((v) => v.text) },
              { name: 'value', type: FieldType.string, values: values.map((v) => v.value) },
            ],
          }),
        ],
      };
    };
    return new Observable<DataQueryResponse>((sub) => {
      run().then(
        (r) => {
          sub.next(r);
          sub.complete();
        },
        (e) => sub.error(e),
      );
    });
  }
}
