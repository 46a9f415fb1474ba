import type { AppRegistry } from './registry';
import { APPLICATION_DEFAULTS } from './validate';

/** The application the demo page (/demo/) sends as. */
export const DEMO_APP_ID = 'demo';

/**
 * Registers the demo application unless it exists. Its page is served by this server, so 'self' lets it
 * send under whatever host name the browser used (localhost, 127.0.0.1, a LAN address, a mapped port).
 */
export async function ensureDemoApp(apps: AppRegistry): Promise<void> {
  await apps.ensure({
    ...APPLICATION_DEFAULTS,
    appId: DEMO_APP_ID,
    name: 'Demo shop',
    type: 'web',
    allowedOrigins: ['self'],
  });
}
