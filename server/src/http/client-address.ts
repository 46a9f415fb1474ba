import { BlockList, isIP } from 'node:net';
import type { IncomingMessage } from 'node:http';

/**
 * Proxies trusted by default to say who their client is (X-Forwarded-For, or the resource attribute
 * client.address that the gateway collector sets): loopback and private networks, where a gateway,
 * collector or load balancer of the same deployment sits. A sender from anywhere else is taken to be
 * the client itself, so it cannot claim another address (and with it another country or session).
 */
export const DEFAULT_TRUSTED_PROXIES: readonly string[] = [
  '127.0.0.0/8',
  '10.0.0.0/8',
  '172.16.0.0/12',
  '192.168.0.0/16',
  '::1/128',
  'fc00::/7',
];

/** The address a request names for its client, and whether the request came through a trusted proxy. */
export interface RequestClient {
  address: string;
  /** The sender is a trusted proxy: what it says about the client (headers, client.address) holds. */
  viaTrustedProxy: boolean;
}

/** `10.0.0.0/8`-style networks, or an error naming the entry that is not one. */
export function parseProxyList(entries: readonly string[]): BlockList | { error: string } {
  const list = new BlockList();
  for (const entry of entries) {
    const [net, bits, extra] = entry.split('/');
    const family = isIP(net ?? '');
    const prefix = bits === undefined ? (family === 6 ? 128 : 32) : Number(bits);
    if (
      extra !== undefined ||
      family === 0 ||
      !Number.isInteger(prefix) ||
      prefix < 0 ||
      prefix > (family === 6 ? 128 : 32)
    ) {
      return { error: `"${entry}" is not an IP address or network such as 10.0.0.0/8 or fc00::/7` };
    }
    list.addSubnet(net!, prefix, family === 6 ? 'ipv6' : 'ipv4');
  }
  return list;
}

/** The bare address: IPv4 addresses that arrive IPv6-mapped (::ffff:1.2.3.4) lose the prefix. */
function plain(address: string): string {
  return address.startsWith('::ffff:') && isIP(address.slice(7)) === 4 ? address.slice(7) : address;
}

function trusted(proxies: BlockList, address: string): boolean {
  const family = isIP(address);
  return family !== 0 && proxies.check(address, family === 6 ? 'ipv6' : 'ipv4');
}

/**
 * The client of a request: the first X-Forwarded-For hop when the sender is a trusted proxy, else the
 * sender itself (its X-Forwarded-For is ignored).
 */
export function requestClient(req: IncomingMessage, proxies: BlockList): RequestClient {
  const sender = plain(req.socket.remoteAddress ?? '');
  if (!trusted(proxies, sender)) return { address: sender, viaTrustedProxy: false };
  const forwarded = String(req.headers['x-forwarded-for'] ?? '')
    .split(',')[0]!
    .trim();
  return { address: forwarded ? plain(forwarded) : sender, viaTrustedProxy: true };
}
