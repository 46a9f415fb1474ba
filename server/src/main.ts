import { loadConfig } from './config';
import { startServer } from './app';
import { createLogger } from './log';

async function main(): Promise<void> {
  const config = loadConfig();
  const log = createLogger(config.logLevel);
  const server = await startServer(config, log);
  const where =
    config.store === 'clickhouse'
      ? `ClickHouse ${config.clickhouseUrl}, database ${config.clickhouseDatabase}${config.clickhouseCluster ? ` on cluster ${config.clickhouseCluster}` : ''}`
      : config.dbPath;
  log.info('otel-rum server started', { url: server.url, db: where });
  const lines = [
    '',
    `  otel-rum server on ${server.url}`,
    `    OTLP/HTTP ingest   ${server.url}/v1/traces  /v1/logs  /v1/metrics`,
    `    REST API           ${server.url}/api/v1/  (OpenAPI: ${server.url}/api/v1/openapi.json)`,
    `    health             ${server.url}/healthz  ${server.url}/readyz`,
    `    database           ${where}`,
  ];
  const notice = server.adminToken;
  let bearer = '<admin token>';
  if (notice.source === 'generated') {
    lines.push(
      `    admin token        ${notice.secret}`,
      notice.file
        ? `                       created now and shown once here; also saved (mode 0600) in ${notice.file}`
        : '                       created now and shown once here (in-memory database: not saved anywhere)',
    );
    bearer = notice.file ? `$(cat ${notice.file})` : notice.secret;
  } else if (notice.source === 'configured') {
    lines.push('    admin token        the one in RUM_ADMIN_TOKEN');
    bearer = '$RUM_ADMIN_TOKEN';
  } else if (notice.file) {
    lines.push(`    admin token        in ${notice.file} (written at first start)`);
    bearer = `$(cat ${notice.file})`;
  } else {
    lines.push(
      '    admin token        created earlier (the API needs a token: Authorization: Bearer <token>)',
    );
  }
  lines.push(`    applications       curl -H "Authorization: Bearer ${bearer}" ${server.url}/api/v1/apps`);
  if (config.demo) {
    lines.push(
      `    demo page          ${server.url}/demo/  (open it, click around, then look at:)`,
      `                       curl -H "Authorization: Bearer ${bearer}" ${server.url}/api/v1/sessions?app_id=demo`,
      `                       curl -H "Authorization: Bearer ${bearer}" ${server.url}/api/v1/errors?app_id=demo`,
    );
  }
  process.stdout.write(lines.join('\n') + '\n\n');
  const stop = (signal: string) => {
    log.info('stopping', { signal });
    server.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}

main().catch((e) => {
  process.stderr.write(`otel-rum server failed to start: ${(e as Error).message}\n`);
  process.exit(1);
});
