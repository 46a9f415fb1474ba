import { PanelPlugin } from '@grafana/data';
import { ReplayPanel } from './ReplayPanel';
import { replayOptions, type ReplayOptions } from './options';

export const plugin = new PanelPlugin<ReplayOptions>(ReplayPanel).setPanelOptions(replayOptions);
