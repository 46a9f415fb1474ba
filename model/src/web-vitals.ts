/*
 * The web vitals' rating bands (web.dev thresholds): the SDK rates each measurement with them, and the
 * plugins' web vitals panel and bundled dashboards draw the same bands, so good means one thing everywhere.
 */

/** Names of the web vitals, as browser.web_vital.name spells them. */
export type WebVitalName = 'lcp' | 'inp' | 'cls' | 'fcp' | 'ttfb';

export const WEB_VITAL_NAMES: readonly WebVitalName[] = ['lcp', 'inp', 'cls', 'fcp', 'ttfb'];

/** [good up to, needs improvement up to] per web vital; above the second is poor. Milliseconds, CLS unitless. */
export const WEB_VITAL_THRESHOLDS: Readonly<Record<WebVitalName, readonly [number, number]>> = {
  lcp: [2500, 4000],
  inp: [200, 500],
  cls: [0.1, 0.25],
  fcp: [1800, 3000],
  ttfb: [800, 1800],
};

export type WebVitalRating = 'good' | 'needs-improvement' | 'poor';

/** The band of one value (inclusive upper bounds, as web.dev rates). */
export function webVitalRating(name: WebVitalName, value: number): WebVitalRating {
  const [good, poor] = WEB_VITAL_THRESHOLDS[name];
  return value <= good ? 'good' : value <= poor ? 'needs-improvement' : 'poor';
}
