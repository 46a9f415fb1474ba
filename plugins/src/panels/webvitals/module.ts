import { PanelPlugin } from '@grafana/data';
import { WebVitalsPanel } from './WebVitalsPanel';
import { webVitalsOptions, type WebVitalsOptions } from './options';

export const plugin = new PanelPlugin<WebVitalsOptions>(WebVitalsPanel)
  .setNoPadding()
  .setPanelOptions(webVitalsOptions);
