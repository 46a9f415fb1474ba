/*
 * The integration guide beside the form: the server's snippets for the chosen type (GET
 * /api/v1/apps/{id}/snippet?type=), each with a copy button, the endpoint the SDK sends to, and a
 * "waiting for first data" state that polls until the first session of the app id is stored.
 */
import React, { useEffect, useState } from 'react';
import { Alert, Badge, ClipboardButton, Field, LoadingPlaceholder, Stack } from '@grafana/ui';
import type { AppType } from '@otel-rum/model';
import type { AppApi } from '../../shared/appApi';
import { appUrl } from '../../shared/location';
import { useAsync } from '../../shared/useAsync';

/** How often the guide asks whether the first data has arrived. */
export const FIRST_DATA_POLL_MS = 3000;

export function useFirstData(api: AppApi, appId: string): { received: boolean; at?: string } {
  const [state, setState] = useState<{ received: boolean; at?: string }>({ received: false });
  useEffect(() => {
    setState({ received: false });
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const check = async () => {
      try {
        const r = await api.get<{ items: Array<{ start: string }> }>('/api/v1/sessions', {
          app_id: appId,
          limit: 1,
        });
        if (stopped) return;
        if (r.items[0]) return setState({ received: true, at: r.items[0].start });
      } catch {
        // The guide keeps waiting; the page shows the server's errors elsewhere.
      }
      if (!stopped) timer = setTimeout(check, FIRST_DATA_POLL_MS);
    };
    check();
    return () => {
      stopped = true;
      clearTimeout(timer);
    };
  }, [api, appId]);
  return state;
}

export function IntegrationGuide({ api, appId, type }: { api: AppApi; appId: string; type: AppType }) {
  const snippet = useAsync(() => api.snippet(appId, type), [api, appId, type]);
  const first = useFirstData(api, appId);
  return (
    <div data-testid="integration-guide">
      <h3>Send data from a {type} application</h3>
      <div data-testid="first-data" data-received={String(first.received)} style={{ marginBottom: 16 }}>
        {first.received ? (
          <Stack gap={1} alignItems="center">
            <Badge color="green" icon="check" text="Receiving data" />
            <a href={appUrl('explorer', { app: appId })}>Open the explorer on {appId}</a>
          </Stack>
        ) : (
          <Badge color="orange" icon="clock-nine" text={`Waiting for first data from ${appId}...`} />
        )}
      </div>
      {snippet.error && <Alert severity="error" title={snippet.error.message} />}
      {snippet.loading && !snippet.value && <LoadingPlaceholder text="Loading the snippets..." />}
      {snippet.value && (
        <>
          <Field
            label="Endpoint"
            description="Where the SDK sends OTLP: this server, or the collector in front of it"
          >
            <code data-testid="snippet-endpoint">{snippet.value.endpoint}</code>
          </Field>
          {snippet.value.snippets.map((s) => (
            <div key={s.id} data-testid={`snippet-${s.id}`} style={{ marginBottom: 16 }}>
              <Stack justifyContent="space-between" alignItems="center">
                <strong>{s.title}</strong>
                <ClipboardButton icon="copy" size="sm" variant="secondary" getText={() => s.code}>
                  Copy
                </ClipboardButton>
              </Stack>
              <pre style={{ maxHeight: 320, overflow: 'auto', marginTop: 4 }} data-language={s.language}>
                {s.code}
              </pre>
            </div>
          ))}
        </>
      )}
    </div>
  );
}
