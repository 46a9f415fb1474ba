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

/**
 * Resource types by file extension (lower case), for entries whose initiator does not tell. A lookup
 * rather than regular expressions: V8 compiles each at its first use, in the page's first resource
 * entries (a favicon, a font, a stylesheet's image).
 */
const EXTENSION_TYPES: Record<string, string> = Object.create(null);
for (const group of 'css css|js js mjs|image png jpg jpeg gif svg webp avif ico bmp|font woff woff2 ttf otf eot|media mp4 webm ogg mp3 wav m4a m3u8 ts'.split(
  '|',
)) {
  const [type, ...extensions] = group.split(' ');
  for (const x of extensions) EXTENSION_TYPES[x] = type!;
}

/** document, fetch, xhr, beacon, css, js, image, font, media or other. */
export function resourceType(initiator: string, url: string): string {
  if (initiator === 'navigation') return 'document';
  if (initiator === 'fetch') return 'fetch';
  if (initiator === 'xmlhttprequest') return 'xhr';
  if (initiator === 'beacon') return 'beacon';
  if (initiator === 'script') return 'js';
  if (initiator === 'img' || initiator === 'image') return 'image';
  if (initiator === 'video' || initiator === 'audio') return 'media';
  // The path's extension: after its last dot, before any query or fragment.
  const path = url.split('#')[0]!.split('?')[0]!;
  const type = EXTENSION_TYPES[path.slice(path.lastIndexOf('.') + 1).toLowerCase()];
  return type || (initiator === 'link' || initiator === 'css' ? 'css' : 'other');
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
