import {
  HTTP_RESPONSE_STATUS_CODE,
  RUM_RESOURCE_CONNECT,
  RUM_RESOURCE_DECODED_SIZE,
  RUM_RESOURCE_DNS,
  RUM_RESOURCE_DOWNLOAD,
  RUM_RESOURCE_DURATION,
  RUM_RESOURCE_FIRST_BYTE,
  RUM_RESOURCE_INITIATOR,
  RUM_RESOURCE_TLS,
  RUM_RESOURCE_TRANSFER_SIZE,
  RUM_RESOURCE_TYPE,
  SERVER_ADDRESS,
  URL_FULL,
} from '@otel-rum/model';
import type { Attributes } from '../lifecycle/rumEvents';

const EXTENSION_TYPES: [RegExp, string][] = [
  [/\.css$/i, 'css'],
  [/\.m?js$/i, 'js'],
  [/\.(png|jpe?g|gif|svg|webp|avif|ico|bmp)$/i, 'image'],
  [/\.(woff2?|ttf|otf|eot)$/i, 'font'],
  [/\.(mp4|webm|ogg|mp3|wav|m4a|m3u8|ts)$/i, 'media'],
];

/** document, fetch, xhr, beacon, css, js, image, font, media or other. */
export function resourceType(initiator: string, url: string): string {
  if (initiator === 'navigation') return 'document';
  if (initiator === 'fetch') return 'fetch';
  if (initiator === 'xmlhttprequest') return 'xhr';
  if (initiator === 'beacon') return 'beacon';
  if (initiator === 'script') return 'js';
  if (initiator === 'img' || initiator === 'image') return 'image';
  if (initiator === 'video' || initiator === 'audio') return 'media';
  const path = url.split(/[?#]/)[0]!;
  for (const [re, type] of EXTENSION_TYPES) if (re.test(path)) return type;
  return initiator === 'link' || initiator === 'css' ? 'css' : 'other';
}

const span = (start: number, end: number) => (start > 0 && end >= start ? end - start : undefined);

/**
 * The attributes of a resource timing entry: type, duration, phases (DNS, connect, TLS, first byte,
 * download), sizes and status. Phases and sizes are absent for cross-origin resources that send no
 * Timing-Allow-Origin (the browser zeroes them).
 */
export function resourceAttributes(e: PerformanceResourceTiming): Attributes {
  const timed = e.requestStart > 0 || e.responseStart > 0;
  let host: string | undefined;
  try {
    host = new URL(e.name).hostname;
  } catch {
    // not a URL
  }
  const status = (e as { responseStatus?: number }).responseStatus;
  return {
    [URL_FULL]: e.name,
    [SERVER_ADDRESS]: host,
    [RUM_RESOURCE_TYPE]: resourceType(e.initiatorType, e.name),
    [RUM_RESOURCE_INITIATOR]: e.initiatorType,
    [RUM_RESOURCE_DURATION]: e.duration,
    [RUM_RESOURCE_DNS]: timed ? span(e.domainLookupStart, e.domainLookupEnd) : undefined,
    [RUM_RESOURCE_CONNECT]: timed ? span(e.connectStart, e.connectEnd) : undefined,
    [RUM_RESOURCE_TLS]:
      timed && e.secureConnectionStart > 0 ? span(e.secureConnectionStart, e.connectEnd) : undefined,
    [RUM_RESOURCE_FIRST_BYTE]: timed ? span(e.requestStart, e.responseStart) : undefined,
    [RUM_RESOURCE_DOWNLOAD]: timed ? span(e.responseStart, e.responseEnd) : undefined,
    [RUM_RESOURCE_TRANSFER_SIZE]: timed ? e.transferSize : undefined,
    [RUM_RESOURCE_DECODED_SIZE]: timed ? e.decodedBodySize : undefined,
    [HTTP_RESPONSE_STATUS_CODE]: status || undefined,
  };
}
