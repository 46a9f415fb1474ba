import { PanelPlugin } from '@grafana/data';
import { TimelinePanel } from './TimelinePanel';
import { timelineOptions, type TimelineOptions } from './options';

export const plugin = new PanelPlugin<TimelineOptions>(TimelinePanel).setPanelOptions(timelineOptions);
