import * as fs from 'node:fs';
import * as path from 'node:path';
import { CONFIG_DIR } from './collectorBinary';

/** The configurations, one per deployment shape. */
export const CONFIGS = ['gateway.yaml', 'gateway-fleet.yaml'] as const;

export const configPath = (name: string): string => path.join(CONFIG_DIR, name);
export const readConfigText = (name: string): string => fs.readFileSync(configPath(name), 'utf8');

/** Every ${env:NAME:-default} (or ${env:NAME}) reference in a configuration's text. */
export function envReferences(text: string): { name: string; fallback: string | undefined }[] {
  const out: { name: string; fallback: string | undefined }[] = [];
  // As the collector expands them: from "${" to the first "}" (escaped "$${" is not a reference).
  for (const m of text.matchAll(/(?<!\$)\$\{env:([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}/g)) {
    out.push({ name: m[1] as string, fallback: m[2] });
  }
  return out;
}
