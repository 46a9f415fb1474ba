/*
 * The app's configuration page (Administration > Plugins > otel-rum > Configuration): the server URL
 * and the admin token that the app's proxy route sends. Saved with Grafana's plugin settings API; the
 * token goes to secureJsonData and is never read back, only "configured".
 */
import React, { useState } from 'react';
import { css } from '@emotion/css';
import type { AppPluginMeta, GrafanaTheme2, PluginConfigPageProps } from '@grafana/data';
import { getBackendSrv, isFetchError, locationService } from '@grafana/runtime';
import { Alert, Button, Field, FieldSet, Input, SecretInput, useStyles2 } from '@grafana/ui';
import { lastValueFrom } from 'rxjs';
import { APP_PLUGIN_ID } from '../../shared/links';
import { AppApi } from '../../shared/appApi';
import { serverUrlProblem, type AppJsonData } from '../../shared/settings';

type Props = PluginConfigPageProps<AppPluginMeta<AppJsonData>>;

type Outcome = { status: 'success' | 'error'; message: string };

export function AppConfig({ plugin }: Props) {
  const styles = useStyles2(getStyles);
  const meta = plugin.meta;
  const [serverUrl, setServerUrl] = useState(meta.jsonData?.serverUrl ?? '');
  const [token, setToken] = useState('');
  const [tokenSet, setTokenSet] = useState(Boolean(meta.secureJsonFields?.adminToken));
  const [touched, setTouched] = useState(false);
  const [busy, setBusy] = useState(false);
  const [outcome, setOutcome] = useState<Outcome | null>(null);
  const urlProblem = touched ? serverUrlProblem(serverUrl) : undefined;

  const save = async () => {
    setTouched(true);
    if (serverUrlProblem(serverUrl)) return;
    setBusy(true);
    setOutcome(null);
    try {
      await lastValueFrom(
        getBackendSrv().fetch({
          url: `/api/plugins/${APP_PLUGIN_ID}/settings`,
          method: 'POST',
          data: {
            enabled: true,
            pinned: true,
            jsonData: { ...meta.jsonData, serverUrl: serverUrl.trim().replace(/\/+$/, '') },
            // Only a newly typed token is sent; leaving it out keeps the saved one.
            secureJsonData: token ? { adminToken: token } : tokenSet ? undefined : { adminToken: '' },
          },
          showErrorAlert: false,
        }),
      );
      if (token) setTokenSet(true);
      setToken('');
      // The route now reaches the server with the token: list the applications as the check.
      const apps = await new AppApi(serverUrl).listApplications();
      setOutcome({
        status: 'success',
        message: `Saved. Connected: ${apps.length} application${apps.length === 1 ? '' : 's'} on the server`,
      });
    } catch (e) {
      const message = isFetchError(e)
        ? `Grafana did not save the settings: ${(e.data as { message?: string })?.message ?? e.status}`
        : e instanceof Error
          ? e.message
          : String(e);
      setOutcome({ status: 'error', message });
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className={styles.page} data-testid="app-config">
      <FieldSet label="otel-rum server">
        <Field
          label="Server URL"
          description="As Grafana's server reaches it; the browser never calls it directly"
          invalid={Boolean(urlProblem)}
          error={urlProblem}
        >
          <Input
            id="app-server-url"
            width={50}
            value={serverUrl}
            placeholder="http://otel-rum:4318"
            onChange={(e) => setServerUrl(e.currentTarget.value)}
            onBlur={() => setTouched(true)}
          />
        </Field>
        <Field
          label="Admin token"
          description='An API token with the "admin" role (POST /api/v1/tokens); kept encrypted by Grafana, sent by its proxy only'
        >
          <SecretInput
            id="app-admin-token"
            width={50}
            value={token}
            isConfigured={tokenSet}
            placeholder="rum_..."
            onChange={(e) => setToken(e.currentTarget.value)}
            onReset={() => {
              setTokenSet(false);
              setToken('');
            }}
          />
        </Field>
      </FieldSet>
      <Button onClick={save} disabled={busy} data-testid="app-config-save">
        Save settings
      </Button>
      {outcome && (
        <div className={styles.outcome} data-testid="app-config-outcome" data-status={outcome.status}>
          <Alert severity={outcome.status} title={outcome.message}>
            {outcome.status === 'success' && (
              <Button
                variant="secondary"
                size="sm"
                onClick={() => locationService.push(`/a/${APP_PLUGIN_ID}`)}
              >
                Open the applications
              </Button>
            )}
          </Alert>
        </div>
      )}
    </div>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  page: css({ maxWidth: 720 }),
  outcome: css({ marginTop: theme.spacing(2) }),
});
