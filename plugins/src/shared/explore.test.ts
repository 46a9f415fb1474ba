import { setDataSourceSrv, type DataSourceSrv } from '@grafana/runtime';
import { traceExploreUrl } from './explore';

/** The one otel-rum data source Grafana lists, with the traces uid that provisioning gave it. */
const withTracesUid = (tracesDatasourceUid: string | undefined) =>
  setDataSourceSrv({
    getList: () => [{ uid: 'otel-rum', type: 'otelrum-rum-datasource', jsonData: { tracesDatasourceUid } }],
  } as unknown as DataSourceSrv);

const pane = (url: string) =>
  JSON.parse(new URLSearchParams(url.split('?')[1]).get('panes')!).a as {
    datasource: string;
    queries: Array<Record<string, unknown>>;
  };

describe('trace links', () => {
  it('open the traces data source that the switch provisioned (provisioning/traces/tempo.yaml)', () => {
    withTracesUid('otel-rum-tempo');
    const p = pane(traceExploreUrl('4bf92f3577b34da6a3ce929d0e0e4736')!);
    expect(p.datasource).toBe('otel-rum-tempo');
    expect(p.queries[0]).toMatchObject({ queryType: 'traceql', query: '4bf92f3577b34da6a3ce929d0e0e4736' });
  });

  it.each([[''], [undefined]])(
    "open the data source's own trace query when the switch is off (uid %p)",
    (uid) => {
      withTracesUid(uid);
      const p = pane(traceExploreUrl('4bf92f3577b34da6a3ce929d0e0e4736')!);
      expect(p.datasource).toBe('otel-rum');
      expect(p.queries[0]).toMatchObject({ queryType: 'trace', traceId: '4bf92f3577b34da6a3ce929d0e0e4736' });
    },
  );
});
