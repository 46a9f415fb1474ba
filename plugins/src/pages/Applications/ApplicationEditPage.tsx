/*
 * Create or edit one application, with the integration guide beside the form. Changing the app id
 * asks first (what the user will have to do), then shows the server's own warnings with a link to the
 * data still kept under the old id.
 */
import React, { useEffect, useState } from 'react';
import { css } from '@emotion/css';
import type { GrafanaTheme2 } from '@grafana/data';
import { locationService } from '@grafana/runtime';
import {
  Alert,
  Button,
  ConfirmModal,
  Field,
  FieldSet,
  Input,
  LinkButton,
  LoadingPlaceholder,
  RadioButtonGroup,
  Select,
  Stack,
  TextArea,
  useStyles2,
} from '@grafana/ui';
import { APP_TYPES, RETENTION_CHOICES, type AppType } from '@otel-rum/model';
import type { AppApi, ChangeWarning, DashboardLink, ManagedApplication } from '../../shared/appApi';
import { LinkedDashboards } from './LinkedDashboards';
import { appUrl } from '../../shared/location';
import { canDo } from '../../shared/settings';
import { useAsync } from '../../shared/useAsync';
import { EMPTY_FORM, formErrors, formOf, inputOf, type AppForm } from './appForm';
import { IntegrationGuide } from './IntegrationGuide';

const TYPE_OPTIONS = APP_TYPES.map((t) => ({ label: t, value: t }));
const RETENTION_OPTIONS = [
  ...RETENTION_CHOICES.map((d) => ({ label: `${d} days`, value: String(d) })),
  { label: 'Other', value: 'other' },
];

export function ApplicationEditPage({ api, appId }: { api: AppApi; appId?: string }) {
  const current = useAsync(
    () => (appId ? api.getApplication(appId) : Promise.resolve(undefined)),
    [api, appId],
  );
  if (appId && current.loading && !current.value)
    return <LoadingPlaceholder text="Loading the application..." />;
  if (current.error) return <Alert severity="error" title={current.error.message} />;
  return <ApplicationEditor key={appId ? 'edit' : 'new'} api={api} existing={current.value} />;
}

function ApplicationEditor({ api, existing }: { api: AppApi; existing?: ManagedApplication }) {
  const styles = useStyles2(getStyles);
  const [form, setForm] = useState<AppForm>(existing ? formOf(existing) : EMPTY_FORM);
  const [dashboards, setDashboards] = useState<DashboardLink[]>(existing?.dashboards ?? []);
  const [touched, setTouched] = useState<Partial<Record<keyof AppForm, boolean>>>({});
  const [tried, setTried] = useState(false);
  const [saving, setSaving] = useState(false);
  const [serverError, setServerError] = useState<string | null>(null);
  const [confirmRename, setConfirmRename] = useState(false);
  const [saved, setSaved] = useState<{
    app: ManagedApplication;
    warnings: ChangeWarning[];
    oldId?: string;
  } | null>(null);
  const manage = canDo('manage');
  const errors = formErrors(form);
  const shown = (k: keyof AppForm) => ((tried || touched[k]) && errors[k]) || undefined;
  const set = <K extends keyof AppForm>(k: K, v: AppForm[K]) => {
    setForm((f) => ({ ...f, [k]: v }));
    setTouched((t) => ({ ...t, [k]: true }));
  };
  const renaming = Boolean(existing && form.appId !== existing.appId);
  const guideId = saved?.app.appId ?? existing?.appId;

  useEffect(() => setServerError(null), [form]);

  const save = async () => {
    setTried(true);
    if (Object.keys(errors).length) return;
    if (renaming && !confirmRename) return setConfirmRename(true);
    setConfirmRename(false);
    setSaving(true);
    try {
      const body = inputOf(form, dashboards);
      if (existing) {
        const r = await api.updateApplication(existing.appId, body);
        setSaved({ app: r.application, warnings: r.warnings, oldId: renaming ? existing.appId : undefined });
        if (renaming) locationService.replace(appUrl(`applications/${r.application.appId}`));
      } else {
        const app = await api.createApplication(body);
        setSaved({ app, warnings: [] });
        locationService.replace(appUrl(`applications/${app.appId}`));
      }
    } catch (e) {
      setServerError(e instanceof Error ? e.message : String(e));
    } finally {
      setSaving(false);
    }
  };

  return (
    <div className={styles.layout} data-testid="application-edit-page">
      <div className={styles.form}>
        <h2>{existing ? `Edit ${existing.name}` : 'New application'}</h2>
        {!manage && <Alert severity="info" title="Read only: managing applications needs the Admin role" />}
        <FieldSet disabled={!manage}>
          <Field label="Name" invalid={Boolean(shown('name'))} error={shown('name')}>
            <Input id="app-name" value={form.name} onChange={(e) => set('name', e.currentTarget.value)} />
          </Field>
          <Field
            label="App id"
            description="What the SDK sends as rum.app.id: letters, digits and underscore"
            invalid={Boolean(errors.appId) && (tried || Boolean(touched.appId))}
            error={(tried || touched.appId) && errors.appId}
          >
            <Input id="app-id" value={form.appId} onChange={(e) => set('appId', e.currentTarget.value)} />
          </Field>
          {renaming && (
            <Alert
              severity="warning"
              title={`Changing the app id from "${existing!.appId}" to "${form.appId}"`}
            >
              <div data-testid="rename-preview">
                Before saving, know what this asks of you: every SDK build must send the new id (the old one
                is refused once saved); alerts, generated-metric rules and dashboards that filter on the old
                id must be updated; the data received so far stays under &quot;{existing!.appId}&quot; until
                its retention ends.
              </div>
            </Alert>
          )}
          <Field label="Type" description="Picks the integration guide">
            <Select
              inputId="app-type"
              options={TYPE_OPTIONS}
              value={form.type}
              onChange={(v) => v.value && set('type', v.value as AppType)}
              width={30}
            />
          </Field>
          <Field
            label="Allowed origins"
            description="One a line: https://shop.example.com, https://*.example.com, 'self' or * (any). Browsers from other origins are refused."
            invalid={Boolean(shown('origins'))}
            error={shown('origins')}
          >
            <TextArea
              id="app-origins"
              rows={3}
              value={form.origins}
              onChange={(e) => set('origins', e.currentTarget.value)}
            />
          </Field>
          <Stack gap={2}>
            <Field
              label="Sessions sampled (%)"
              invalid={Boolean(shown('sessionSample'))}
              error={shown('sessionSample')}
            >
              <Input
                id="app-session-sample"
                width={12}
                value={form.sessionSample}
                onChange={(e) => set('sessionSample', e.currentTarget.value)}
              />
            </Field>
            <Field
              label="Traces sampled (%)"
              invalid={Boolean(shown('traceSample'))}
              error={shown('traceSample')}
            >
              <Input
                id="app-trace-sample"
                width={12}
                value={form.traceSample}
                onChange={(e) => set('traceSample', e.currentTarget.value)}
              />
            </Field>
            <Field
              label="Replays sampled (%)"
              invalid={Boolean(shown('replaySample'))}
              error={shown('replaySample')}
            >
              <Input
                id="app-replay-sample"
                width={12}
                value={form.replaySample}
                onChange={(e) => set('replaySample', e.currentTarget.value)}
              />
            </Field>
          </Stack>
          <Field label="Retention" description="How long the server keeps this application's data">
            <Stack gap={1} alignItems="center">
              <RadioButtonGroup
                options={RETENTION_OPTIONS}
                value={form.retention}
                onChange={(v) => set('retention', v)}
              />
              {form.retention === 'other' && (
                <Input
                  id="app-retention-days"
                  width={10}
                  suffix="days"
                  value={form.otherDays}
                  invalid={Boolean(shown('otherDays'))}
                  onChange={(e) => set('otherDays', e.currentTarget.value)}
                />
              )}
            </Stack>
          </Field>
          {shown('otherDays') && <div className={styles.error}>{shown('otherDays')}</div>}
          <Stack gap={2}>
            <Field
              label="Rate limit (events/s)"
              description="Empty: the server's default"
              invalid={Boolean(shown('eventsPerSecond'))}
              error={shown('eventsPerSecond')}
            >
              <Input
                id="app-rate"
                width={16}
                value={form.eventsPerSecond}
                onChange={(e) => set('eventsPerSecond', e.currentTarget.value)}
              />
            </Field>
            <Field label="Burst (events)" invalid={Boolean(shown('burst'))} error={shown('burst')}>
              <Input
                id="app-burst"
                width={16}
                value={form.burst}
                onChange={(e) => set('burst', e.currentTarget.value)}
              />
            </Field>
          </Stack>
          <Field
            label="Linked dashboards"
            description="Open with this application as their `app` variable; saved with the application"
          >
            <LinkedDashboards
              links={dashboards}
              appId={form.appId}
              disabled={!manage}
              onChange={setDashboards}
            />
          </Field>
        </FieldSet>
        {serverError && (
          <Alert severity="error" title="The server refused the application" data-testid="server-error">
            {serverError}
          </Alert>
        )}
        {saved && (
          <div data-testid="saved">
            <Alert
              severity={saved.warnings.length ? 'warning' : 'success'}
              title={`Saved ${saved.app.appId}`}
            >
              {saved.warnings.length > 0 && (
                <ul data-testid="rename-warnings" className={styles.warnings}>
                  {saved.warnings.map((w) => (
                    <li key={w.code} data-code={w.code}>
                      {w.message}
                    </li>
                  ))}
                </ul>
              )}
              {saved.oldId && (
                <LinkButton
                  size="sm"
                  variant="secondary"
                  icon="history"
                  href={appUrl('explorer', { app: saved.oldId, from: 'now-30d' })}
                >
                  Open the explorer on the old id {saved.oldId}
                </LinkButton>
              )}
            </Alert>
          </div>
        )}
        {manage && (
          <Stack gap={1}>
            <Button onClick={save} disabled={saving} data-testid="save-application">
              {existing ? 'Save' : 'Create'}
            </Button>
            <LinkButton variant="secondary" href={appUrl('applications')}>
              Back to the list
            </LinkButton>
          </Stack>
        )}
        <ConfirmModal
          isOpen={confirmRename}
          title="Change the app id?"
          body={
            <div data-testid="rename-confirm">
              Data sent with &quot;{existing?.appId}&quot; will be refused from now on. Update the SDK
              configuration of every build first, then alerts, metric rules and dashboards.
            </div>
          }
          confirmText={`Change to ${form.appId}`}
          onConfirm={save}
          onDismiss={() => setConfirmRename(false)}
        />
      </div>
      <div className={styles.guide}>
        {guideId ? (
          <IntegrationGuide api={api} appId={guideId} type={form.type} />
        ) : (
          <Alert severity="info" title="Integration guide">
            Create the application to get its snippet, its endpoint and a live check for its first data.
          </Alert>
        )}
      </div>
    </div>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  layout: css({ display: 'flex', gap: theme.spacing(4), alignItems: 'flex-start', flexWrap: 'wrap' }),
  form: css({ flex: '1 1 480px', maxWidth: 640 }),
  guide: css({ flex: '1 1 420px', minWidth: 0 }),
  error: css({
    color: theme.colors.error.text,
    marginTop: theme.spacing(-1),
    marginBottom: theme.spacing(2),
  }),
  warnings: css({ paddingLeft: theme.spacing(2), marginBottom: theme.spacing(1) }),
});
