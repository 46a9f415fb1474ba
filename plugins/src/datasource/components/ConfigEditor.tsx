import React, { type ChangeEvent } from 'react';
import type { DataSourcePluginOptionsEditorProps } from '@grafana/data';
import { DataSourcePicker } from '@grafana/runtime';
import { Field, FieldSet, Input, SecretInput, SecretTextArea, Switch } from '@grafana/ui';
import { APP_ID_PATTERN, MAX_APP_ID_LENGTH } from '@otel-rum/model';
import type { RumJsonData, RumSecureJsonData } from '../types';

type Props = DataSourcePluginOptionsEditorProps<RumJsonData, RumSecureJsonData>;

/** What is wrong with a server URL as typed, or undefined. */
export function serverUrlError(url: string | undefined): string | undefined {
  if (!url) return undefined;
  try {
    const u = new URL(url);
    if (u.protocol !== 'http:' && u.protocol !== 'https:') return 'Use an http:// or https:// URL';
    if (u.search || u.hash) return 'The URL of the server itself, without a query or fragment';
  } catch {
    return 'Not a URL: for example http://localhost:4318';
  }
  return undefined;
}

export function appIdError(appId: string | undefined): string | undefined {
  if (!appId || APP_ID_PATTERN.test(appId)) return undefined;
  return `Letters, digits and underscore, at most ${MAX_APP_ID_LENGTH}`;
}

export function ConfigEditor({ options, onOptionsChange }: Props) {
  const { jsonData, secureJsonFields } = options;
  const secure = (options.secureJsonData ?? {}) as RumSecureJsonData;
  const setJson = (patch: Partial<RumJsonData>) =>
    onOptionsChange({ ...options, jsonData: { ...jsonData, ...patch } });
  const setSecret = (key: keyof RumSecureJsonData, value: string) =>
    onOptionsChange({ ...options, secureJsonData: { ...secure, [key]: value } });
  const resetSecret = (key: keyof RumSecureJsonData) =>
    onOptionsChange({
      ...options,
      secureJsonFields: { ...secureJsonFields, [key]: false },
      secureJsonData: { ...secure, [key]: '' },
    });
  const urlError = serverUrlError(jsonData.serverUrl);
  const appError = appIdError(jsonData.defaultAppId);

  return (
    <>
      <FieldSet label="otel-rum server">
        <Field
          label="Server URL"
          description="Where Grafana's server reaches the otel-rum server (its API and OTLP port, 4318 by default). Requests go through Grafana's data proxy, never from the browser."
          invalid={!!urlError}
          error={urlError}
          required
        >
          <Input
            id="rum-server-url"
            width={60}
            value={jsonData.serverUrl ?? ''}
            placeholder="http://localhost:4318"
            onChange={(e: ChangeEvent<HTMLInputElement>) =>
              setJson({ serverUrl: e.currentTarget.value.trim() })
            }
          />
        </Field>
        <Field
          label="API token"
          description="A token with the read role (POST /api/v1/tokens). Grafana keeps it encrypted and adds it to proxied requests; the browser never sees it."
        >
          <SecretInput
            id="rum-api-token"
            width={60}
            isConfigured={!!secureJsonFields?.apiToken}
            value={secure.apiToken ?? ''}
            placeholder="rum_..."
            onReset={() => resetSecret('apiToken')}
            onChange={(e: ChangeEvent<HTMLInputElement>) => setSecret('apiToken', e.currentTarget.value)}
          />
        </Field>
        <Field
          label="Default application"
          description="App id used by queries that name none. Leave empty to query every application."
          invalid={!!appError}
          error={appError}
        >
          <Input
            id="rum-default-app"
            width={40}
            value={jsonData.defaultAppId ?? ''}
            placeholder="shop"
            onChange={(e: ChangeEvent<HTMLInputElement>) =>
              setJson({ defaultAppId: e.currentTarget.value.trim() || undefined })
            }
          />
        </Field>
      </FieldSet>
      <FieldSet label="Traces">
        <Field
          label="Trace data source"
          description="Tempo or Jaeger holding your backend traces: trace ids link there. Empty: this data source's own trace query (browser and backend spans the server received)."
        >
          <DataSourcePicker
            tracing
            noDefault
            width={40}
            current={jsonData.tracesDatasourceUid ?? null}
            onChange={(ds) => setJson({ tracesDatasourceUid: ds.uid })}
            onClear={() => setJson({ tracesDatasourceUid: undefined })}
          />
        </Field>
      </FieldSet>
      <FieldSet label="TLS">
        <Field
          label="Skip TLS verify"
          description="Accept a certificate Grafana's server cannot verify (self-signed). Prefer adding its CA certificate."
        >
          <Switch
            id="rum-tls-skip"
            value={!!jsonData.tlsSkipVerify}
            onChange={(e) => setJson({ tlsSkipVerify: e.currentTarget.checked })}
          />
        </Field>
        <Field
          label="With CA certificate"
          description="Verify the server's certificate against your own certificate authority."
        >
          <Switch
            id="rum-tls-ca"
            value={!!jsonData.tlsAuthWithCACert}
            onChange={(e) => setJson({ tlsAuthWithCACert: e.currentTarget.checked })}
          />
        </Field>
        {jsonData.tlsAuthWithCACert && (
          <Field label="CA certificate" description="PEM, kept encrypted by Grafana.">
            <SecretTextArea
              id="rum-tls-ca-cert"
              cols={60}
              rows={5}
              isConfigured={!!secureJsonFields?.tlsCACert}
              placeholder="-----BEGIN CERTIFICATE-----"
              onReset={() => resetSecret('tlsCACert')}
              onChange={(e: ChangeEvent<HTMLTextAreaElement>) =>
                setSecret('tlsCACert', e.currentTarget.value)
              }
            />
          </Field>
        )}
      </FieldSet>
    </>
  );
}
