import {
  BROWSER_BRANDS,
  BROWSER_LANGUAGE,
  BROWSER_MOBILE,
  BROWSER_PLATFORM,
  DEPLOYMENT_ENVIRONMENT_NAME,
  RUM_APP_ID,
  SDK_NAME,
  SERVICE_NAME,
  SERVICE_VERSION,
  TELEMETRY_SDK_LANGUAGE,
  TELEMETRY_SDK_NAME,
  TELEMETRY_SDK_VERSION,
  USER_AGENT_ORIGINAL,
} from '@otel-rum/model';
import type { RumConfig } from '../config/config';
import type { Attributes } from '../lifecycle/rumEvents';
import { SDK_VERSION } from '../version';

interface UserAgentData {
  brands?: { brand: string; version: string }[];
  platform?: string;
  mobile?: boolean;
}

/** The OTLP Resource: who sends (app, service, SDK) and from which browser. */
export function resourceAttributes(config: RumConfig): Attributes {
  const nav = typeof navigator !== 'undefined' ? navigator : undefined;
  const uaData = (nav as { userAgentData?: UserAgentData } | undefined)?.userAgentData;
  const attrs: Attributes = {
    [RUM_APP_ID]: config.appId,
    [SERVICE_NAME]: config.service.name,
    [SERVICE_VERSION]: config.service.version,
    [DEPLOYMENT_ENVIRONMENT_NAME]: config.environment,
    [TELEMETRY_SDK_NAME]: SDK_NAME,
    [TELEMETRY_SDK_VERSION]: SDK_VERSION,
    [TELEMETRY_SDK_LANGUAGE]: 'webjs',
    [USER_AGENT_ORIGINAL]: nav?.userAgent,
    [BROWSER_LANGUAGE]: nav?.language,
  };
  if (uaData) {
    attrs[BROWSER_BRANDS] = uaData.brands?.map((b) => `${b.brand} ${b.version}`);
    attrs[BROWSER_PLATFORM] = uaData.platform;
    attrs[BROWSER_MOBILE] = uaData.mobile;
  }
  return attrs;
}
