import { readFileSync } from 'node:fs';
import { isIP } from 'node:net';
import { Reader, type Response } from 'maxmind';

/**
 * Country of a client address, from the public-domain (CC0) country database that
 * @ip-location-db/geo-whois-asn-country-mmdb ships; updating the dependency updates the data.
 * Loopback, private and unknown addresses have no country.
 */
// The database's records are { country_code }, not MaxMind's own shape.
type CountryRecord = { country_code?: string } & Response;
let reader: Reader<CountryRecord> | null = null;

function db(): Reader<CountryRecord> {
  if (!reader) {
    const path = require.resolve('@ip-location-db/geo-whois-asn-country-mmdb/geo-whois-asn-country.mmdb');
    reader = new Reader<CountryRecord>(readFileSync(path));
  }
  return reader;
}

/** ISO 3166-1 alpha-2 code, or null. Accepts IPv4, IPv6 and IPv4-mapped IPv6 (`::ffff:1.2.3.4`). */
export function countryOf(address: string): string | null {
  const ip = address.startsWith('::ffff:') ? address.slice(7) : address;
  if (!isIP(ip)) return null;
  return db().get(ip)?.country_code ?? null;
}
