import { DataSourcePlugin } from '@grafana/data';
import { RumDataSource } from './datasource';
import { ConfigEditor } from './components/ConfigEditor';
import { QueryEditor } from './components/QueryEditor';
import type { RumJsonData, RumQuery, RumSecureJsonData } from './types';

export const plugin = new DataSourcePlugin<RumDataSource, RumQuery, RumJsonData, RumSecureJsonData>(
  RumDataSource,
)
  .setConfigEditor(ConfigEditor)
  .setQueryEditor(QueryEditor);
