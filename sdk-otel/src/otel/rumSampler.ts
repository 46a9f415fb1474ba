import { ParentBasedSampler, SamplingDecision, type Sampler } from '@opentelemetry/sdk-trace-web';
import type { RumContextSource } from './rumSpanProcessor';

/**
 * Follows the SDK's session-consistent decision for root spans (recorded and sampled only while the
 * SDK collects a sampled-in session), and the parent's decision otherwise, so the `traceparent` that
 * OpenTelemetry instrumentations propagate agrees with the SDK's own.
 */
export function createRumSampler(source: RumContextSource): Sampler {
  const root: Sampler = {
    shouldSample: () => ({
      decision: source()?.span?.sampled ? SamplingDecision.RECORD_AND_SAMPLED : SamplingDecision.NOT_RECORD,
    }),
    toString: () => 'RumSessionSampler',
  };
  return new ParentBasedSampler({ root });
}
