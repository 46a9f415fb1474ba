/* The rating bands are the model's, shared with the plugins' web vitals panel. */
import { WEB_VITAL_THRESHOLDS, webVitalRating, type WebVitalName } from '@otel-rum/model';

/** Names of the web vitals, as browser.web_vital.name spells them. */
export type VitalName = WebVitalName;

/** [good up to, needs-improvement up to] per metric (web.dev thresholds). */
export const VITAL_THRESHOLDS = WEB_VITAL_THRESHOLDS;

export const rating = webVitalRating;
