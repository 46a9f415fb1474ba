/* Keyset cursors of the list endpoints: opaque to clients, the same for every store adapter. */

/** What a cursor remembers: the sort it belongs to, and the sort value and id of the last row sent. */
export interface Cursor {
  sort: string;
  value: number | null;
  id: string;
}

export function encodeCursor(c: Cursor): string {
  return Buffer.from(JSON.stringify([c.sort, c.value, c.id])).toString('base64url');
}

/** The cursor's content, or null when it is not a cursor this API issued. */
export function decodeCursor(cursor: string): Cursor | null {
  try {
    const v: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (
      Array.isArray(v) &&
      v.length === 3 &&
      typeof v[0] === 'string' &&
      (typeof v[1] === 'number' || v[1] === null) &&
      typeof v[2] === 'string'
    ) {
      return { sort: v[0], value: v[1], id: v[2] };
    }
  } catch {
    // not JSON: not ours
  }
  return null;
}
