import type { IncomingMessage } from 'node:http';
import { DEFAULT_TRUSTED_PROXIES, parseProxyList, requestClient } from './client-address';

const proxies = (networks: readonly string[]) => {
  const list = parseProxyList(networks);
  if ('error' in list) throw new Error(list.error);
  return list;
};
const request = (from: string, forwardedFor?: string) =>
  ({
    socket: { remoteAddress: from },
    headers: forwardedFor === undefined ? {} : { 'x-forwarded-for': forwardedFor },
  }) as unknown as IncomingMessage;

describe('the client of a request', () => {
  const defaults = proxies(DEFAULT_TRUSTED_PROXIES);

  it('is the first X-Forwarded-For hop when a trusted proxy sent the request', () => {
    expect(requestClient(request('10.1.2.3', '81.2.69.160, 10.0.0.1'), defaults)).toEqual({
      address: '81.2.69.160',
      viaTrustedProxy: true,
    });
    expect(requestClient(request('::ffff:172.20.0.5', '2001:db8::7'), defaults)).toEqual({
      address: '2001:db8::7',
      viaTrustedProxy: true,
    });
    expect(requestClient(request('::1'), defaults)).toEqual({ address: '::1', viaTrustedProxy: true });
  });

  it('is the sender itself when it is not a trusted proxy, whatever it claims', () => {
    expect(requestClient(request('203.0.113.9', '81.2.69.160'), defaults)).toEqual({
      address: '203.0.113.9',
      viaTrustedProxy: false,
    });
    expect(requestClient(request('::ffff:127.0.0.1', '81.2.69.160'), proxies([]))).toEqual({
      address: '127.0.0.1',
      viaTrustedProxy: false,
    });
  });

  it('refuses a network list entry that is not an address or a network, naming it', () => {
    expect(parseProxyList(['10.0.0.0/8', 'gateway.local'])).toEqual({
      error: '"gateway.local" is not an IP address or network such as 10.0.0.0/8 or fc00::/7',
    });
    expect(parseProxyList(['10.0.0.0/33'])).toHaveProperty('error');
    expect(parseProxyList(['fc00::/7', '192.0.2.1'])).not.toHaveProperty('error');
  });
});
