/*
 * Checks each plugin's use of Grafana's public API against the oldest Grafana it claims in plugin.json
 * (grafanaDependency ">=X"), with @grafana/levitate. --force: levitate looks for the packages with
 * `npm list` in the plugin's folder, which misses them in an npm workspace and then skips the check.
 * Exits non-zero when any module uses something that version lacks.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const src = join(root, 'src');
const PACKAGES = ['@grafana/data', '@grafana/ui', '@grafana/runtime'];

function pluginDirs(dir, out = []) {
  if (existsSync(join(dir, 'plugin.json')) && existsSync(join(dir, 'module.ts'))) out.push(dir);
  for (const d of readdirSync(dir, { withFileTypes: true }))
    if (d.isDirectory()) pluginDirs(join(dir, d.name), out);
  return out;
}

let failed = false;
for (const dir of pluginDirs(src)) {
  const pj = JSON.parse(readFileSync(join(dir, 'plugin.json'), 'utf8'));
  const m = /^>=\s*(\d+\.\d+\.\d+)$/.exec(pj.dependencies?.grafanaDependency ?? '');
  if (!m) {
    console.error(
      `${pj.id}: grafanaDependency must be ">=X.Y.Z", got ${JSON.stringify(pj.dependencies?.grafanaDependency)}`,
    );
    failed = true;
    continue;
  }
  const target = PACKAGES.map((p) => `${p}@${m[1]}`).join(',');
  const path = relative(root, join(dir, 'module.ts'));
  console.log(`== ${pj.id}: ${path} against Grafana ${m[1]}`);
  const r = spawnSync(
    'npx',
    ['--no-install', '@grafana/levitate', 'is-compatible', '--path', path, '--target', target, '--force'],
    {
      cwd: root,
      encoding: 'utf8',
      env: { ...process.env, FORCE_COLOR: '0' },
    },
  );
  const out = `${r.stdout}${r.stderr}`;
  const compared = (out.match(/Successfully compared versions/g) ?? []).length;
  if (r.status !== 0 || compared !== PACKAGES.length || !out.includes('appears to be compatible')) {
    console.error(out);
    console.error(
      `${pj.id}: not compatible, or levitate compared ${compared} of ${PACKAGES.length} packages`,
    );
    failed = true;
  } else console.log(`compatible with ${target}`);
}
process.exit(failed ? 1 : 0);
