import type { PanelOptionsEditorBuilder } from '@grafana/data';
import { SPEEDS } from '../../components/ReplayPlayer/recording';

export interface ReplayOptions {
  /** The session to play; may hold a dashboard variable. Empty: the first session of the query's result. */
  sessionId: string;
  appId: string;
  speed: number;
  skipInactive: boolean;
}

export function replayOptions(builder: PanelOptionsEditorBuilder<ReplayOptions>) {
  return builder
    .addTextInput({
      path: 'sessionId',
      name: 'Session id',
      description:
        'A session id or a variable such as ${session}; empty: the first session the query returns',
      defaultValue: '',
    })
    .addTextInput({
      path: 'appId',
      name: 'Application',
      description: 'The application of the session (or a variable); empty: any',
      defaultValue: '',
    })
    .addRadio({
      path: 'speed',
      name: 'Speed',
      defaultValue: 1,
      settings: { options: SPEEDS.map((s) => ({ value: s, label: `${s}x` })) },
    })
    .addBooleanSwitch({
      path: 'skipInactive',
      name: 'Skip inactivity',
      description: 'Fast-forward through the stretches where the user did nothing',
      defaultValue: true,
    });
}
