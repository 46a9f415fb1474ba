import type { MetricsRequest, OtlpNumberPoint } from '../otlp/decode';
import { keyValues, str, toBigInt, toNumber } from '../otlp/values';
import type { MetricPointRow } from '../../store/rows';
import { nanosToMicros, resourceContext, type ClientInfo } from './context';
import { Rejections } from './rejections';

/**
 * Keeps gauge and sum points as they are, and histograms as their mean (sum / count) so that a
 * browser metric can be charted; exponential histograms and summaries are refused by name.
 */
export function mapMetrics(
  req: MetricsRequest,
  client: ClientInfo,
  nowUs: bigint,
  rejections: Rejections,
): MetricPointRow[] {
  const out: MetricPointRow[] = [];
  for (const rm of req.resourceMetrics ?? []) {
    const ctx = resourceContext(keyValues(rm?.resource?.attributes), client);
    for (const sm of rm?.scopeMetrics ?? []) {
      for (const metric of sm?.metrics ?? []) {
        const name = str(metric?.name ?? null);
        if (!metric || !name) {
          rejections.add('metric without a name');
          continue;
        }
        const push = (p: OtlpNumberPoint, value: number | null) => {
          if (value === null) {
            rejections.add(`data point of ${name} without a value`);
            return;
          }
          out.push({
            timeUs: nanosToMicros(toBigInt(p.timeUnixNano), nowUs),
            appId: ctx.appId,
            serviceName: ctx.serviceName,
            name,
            unit: str(metric.unit ?? null),
            value,
            attributes: keyValues(p.attributes),
          });
        };
        const points = metric.gauge?.dataPoints ?? metric.sum?.dataPoints;
        if (points) {
          for (const p of points) if (p) push(p, finite(p.asDouble) ?? toNumber(p.asInt));
        } else if (metric.histogram?.dataPoints) {
          for (const p of metric.histogram.dataPoints) {
            const count = toNumber(p?.count) ?? 0;
            if (p) push(p, count > 0 && typeof p.sum === 'number' ? p.sum / count : null);
          }
        } else {
          rejections.add(`metric ${name}: only gauge, sum and histogram points are stored`);
        }
      }
    }
  }
  return out;
}

/**
 * A double as OTLP/JSON may write it (a number, or a string such as "1.5" or "NaN"), when finite:
 * a point without a finite value is refused rather than stored.
 */
function finite(v: unknown): number | null {
  const n = typeof v === 'number' ? v : typeof v === 'string' && v.trim() !== '' ? Number(v) : NaN;
  return Number.isFinite(n) ? n : null;
}
