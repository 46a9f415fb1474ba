/** Reads the server's API with a bearer token, following keyset cursors to the end of a list. */
export async function apiGet<T>(base: string, token: string, path: string): Promise<T> {
  const res = await fetch(base + path, { headers: { authorization: `Bearer ${token}` } });
  const text = await res.text();
  if (res.status !== 200) throw new Error(`GET ${path} answered ${res.status}: ${text}`);
  return JSON.parse(text) as T;
}

/** Every item of a list endpoint (`path` holds its query), page by page at the largest page size. */
export async function listAll<T>(base: string, token: string, path: string): Promise<T[]> {
  const items: T[] = [];
  let cursor: string | null = null;
  do {
    const sep = path.includes('?') ? '&' : '?';
    const page: { items: T[]; nextCursor: string | null } = await apiGet(
      base,
      token,
      `${path}${sep}limit=1000${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
    );
    items.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor);
  return items;
}

/** Registers an application through POST /api/v1/apps, any origin allowed. */
export async function registerApp(
  base: string,
  token: string,
  appId: string,
  fields: Record<string, unknown> = {},
): Promise<void> {
  const res = await fetch(`${base}/api/v1/apps`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ appId, name: appId, type: 'web', allowedOrigins: ['*'], ...fields }),
  });
  if (res.status !== 201) throw new Error(`registering ${appId} answered ${res.status}: ${await res.text()}`);
}
