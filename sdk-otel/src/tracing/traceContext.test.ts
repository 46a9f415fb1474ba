import { parseTraceparent, propagationHeaders } from './traceContext';

const traceId = '0af7651916cd43dd8448eb211c80319c';
const spanId = 'b7ad6b7169203331';

describe('trace context', () => {
  it('writes W3C traceparent and b3 single headers with the sampling decision', () => {
    expect(propagationHeaders(['tracecontext'], traceId, spanId, true)).toEqual({
      traceparent: `00-${traceId}-${spanId}-01`,
    });
    expect(propagationHeaders(['tracecontext', 'b3'], traceId, spanId, false)).toEqual({
      traceparent: `00-${traceId}-${spanId}-00`,
      b3: `${traceId}-${spanId}-0`,
    });
  });

  it('reads a traceparent and refuses invalid ones', () => {
    expect(parseTraceparent(`00-${traceId}-${spanId}-01`)).toEqual({ traceId, spanId });
    expect(parseTraceparent(` 00-${traceId.toUpperCase()}-${spanId}-00 `)).toEqual({ traceId, spanId });
    expect(parseTraceparent(`00-${'0'.repeat(32)}-${spanId}-01`)).toBeUndefined();
    expect(parseTraceparent(`ff-${traceId}-${spanId}-01`)).toBeUndefined();
    expect(parseTraceparent('garbage')).toBeUndefined();
    expect(parseTraceparent(undefined)).toBeUndefined();
  });
});
