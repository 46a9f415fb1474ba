/** Names of the web vitals, as browser.web_vital.name spells them. */
export type VitalName = 'lcp' | 'inp' | 'cls' | 'fcp' | 'ttfb';

/** [good up to, needs-improvement up to] per metric (web.dev thresholds). */
export const VITAL_THRESHOLDS: Record<VitalName, [number, number]> = {
  lcp: [2500, 4000],
  inp: [200, 500],
  cls: [0.1, 0.25],
  fcp: [1800, 3000],
  ttfb: [800, 1800],
};

export function rating(name: VitalName, value: number): 'good' | 'needs-improvement' | 'poor' {
  const [good, poor] = VITAL_THRESHOLDS[name];
  return value <= good ? 'good' : value <= poor ? 'needs-improvement' : 'poor';
}
