import React from 'react';
import { fireEvent, render, screen } from '@testing-library/react';
import type { DataSourceSettings } from '@grafana/data';
import { setDataSourceSrv, type DataSourceSrv } from '@grafana/runtime';
import { ConfigEditor, appIdError, serverUrlError } from './ConfigEditor';
import type { RumJsonData } from '../types';

const settings = (over: Partial<DataSourceSettings<RumJsonData>> = {}) =>
  ({
    id: 1,
    uid: 'x',
    name: 'rum',
    type: 'otelrum-rum-datasource',
    jsonData: {},
    secureJsonFields: {},
    ...over,
  }) as DataSourceSettings<RumJsonData>;

// Grafana's data source service (outside this project), for the trace data source picker: no Tempo yet.
beforeAll(() => {
  setDataSourceSrv({ getList: () => [], getInstanceSettings: () => undefined } as unknown as DataSourceSrv);
});

describe('config editor', () => {
  it('checks the URL and the default application as the user types', () => {
    expect(serverUrlError('localhost:4318')).toBe('Use an http:// or https:// URL');
    expect(serverUrlError('http://rum:4318?x=1')).toContain('without a query');
    expect(serverUrlError('not a url')).toContain('Not a URL');
    expect(serverUrlError('https://rum.example.com')).toBeUndefined();
    expect(appIdError('my-app')).toContain('Letters, digits and underscore');
    expect(appIdError('my_app')).toBeUndefined();
  });

  it('puts the token in secureJsonData and the rest in jsonData', () => {
    const onChange = jest.fn();
    render(<ConfigEditor options={settings()} onOptionsChange={onChange} />);
    fireEvent.change(screen.getByPlaceholderText('http://localhost:4318'), {
      target: { value: ' http://rum:4318 ' },
    });
    expect(onChange.mock.calls.at(-1)[0].jsonData).toEqual({ serverUrl: 'http://rum:4318' });
    fireEvent.change(screen.getByPlaceholderText('rum_...'), { target: { value: 'rum_secret' } });
    const saved = onChange.mock.calls.at(-1)[0];
    expect(saved.secureJsonData).toEqual({ apiToken: 'rum_secret' });
    expect(JSON.stringify(saved.jsonData)).not.toContain('rum_secret');
  });

  it('shows a saved token only as configured, and reset clears it', () => {
    const onChange = jest.fn();
    render(
      <ConfigEditor
        options={settings({ secureJsonFields: { apiToken: true } })}
        onOptionsChange={onChange}
      />,
    );
    expect(screen.getByDisplayValue('configured')).toBeDisabled();
    fireEvent.click(screen.getByRole('button', { name: 'Reset' }));
    expect(onChange.mock.calls.at(-1)[0]).toMatchObject({
      secureJsonFields: { apiToken: false },
      secureJsonData: { apiToken: '' },
    });
  });
});
