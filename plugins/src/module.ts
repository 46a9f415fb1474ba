import { AppPlugin } from '@grafana/data';
import { App } from './components/App/App';
import { AppConfig } from './components/AppConfig/AppConfig';
import type { AppJsonData } from './shared/settings';

/**
 * The otel-rum app: its pages (applications, explorer, session, issue) under /a/otelrum-rum-app, its
 * configuration page, and the data source (datasource/) installed with it as a nested plugin.
 */
export const plugin = new AppPlugin<AppJsonData>().setRootPage(App).addConfigPage({
  title: 'Configuration',
  icon: 'cog',
  id: 'configuration',
  body: AppConfig,
});
