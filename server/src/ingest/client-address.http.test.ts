import * as M from '@otel-rum/model';
import { getJson, startTestServer, type TestServer } from '../../../tests/support/server';
import { rumLogsRequest } from '../../../tests/support/rum-events';

/** An error claiming to come from a GB address, both ways a sender can claim it. */
async function sendClaimingGb(server: TestServer, sessionId: string): Promise<void> {
  const res = await fetch(`${server.url}/v1/logs`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-forwarded-for': '81.2.69.160' },
    body: JSON.stringify(
      rumLogsRequest(
        'addr',
        [
          {
            eventName: M.EventName.EXCEPTION,
            attributes: { [M.SESSION_ID]: sessionId, [M.EXCEPTION_MESSAGE]: 'boom' },
          },
        ],
        { [M.CLIENT_ADDRESS]: '81.2.69.160' },
      ),
    ),
  });
  expect(res.status).toBe(200);
}

describe('client address', () => {
  it('is taken from a trusted proxy (loopback by default): the gateway names the browser', async () => {
    const server = await startTestServer({ apps: ['addr'] });
    try {
      await sendClaimingGb(server, 'trusted');
      const errors = await getJson(server.url, '/api/v1/errors?app_id=addr');
      expect(errors.items.map((e: { country: string | null }) => e.country)).toEqual(['GB']);
    } finally {
      await server.close();
    }
  });

  it('is the sender itself when it is not a trusted proxy, so a browser cannot claim a country', async () => {
    const server = await startTestServer({ apps: ['addr'], trustedProxies: ['10.0.0.0/8'] });
    try {
      await sendClaimingGb(server, 'direct');
      const errors = await getJson(server.url, '/api/v1/errors?app_id=addr');
      expect(errors.items.map((e: { country: string | null }) => e.country)).toEqual([null]);
    } finally {
      await server.close();
    }
  });
});
