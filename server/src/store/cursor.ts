/* Keyset cursors of the list endpoints: opaque to clients, the same for every store adapter. */
import { HttpError } from '../http/http-error';

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

/** A sortable field: the column ordered by, and the output column whose value a cursor keeps. */
export interface SortColumn {
  column: string;
  value: string;
  /** The column is a TIMESTAMP and `value` its epoch microseconds. */
  timestamp?: boolean;
}

/**
 * The sort a list request asks for (default: the first of `sorts`, descending) and the cursor it
 * continues from, checked: an unknown field or a cursor of another sort order is a 400 naming it.
 */
export function resolveSort(
  sorts: Record<string, SortColumn>,
  requested: { field: string; desc: boolean } | undefined,
  cursor: string | undefined,
): { spec: SortColumn; name: string; desc: boolean; after: Cursor | null } {
  const sort = requested ?? { field: Object.keys(sorts)[0]!, desc: true };
  const spec = Object.prototype.hasOwnProperty.call(sorts, sort.field) ? sorts[sort.field] : undefined;
  if (!spec) {
    throw new HttpError(400, `cannot sort by "${sort.field}"; sortable: ${Object.keys(sorts).join(', ')}`);
  }
  const name = `${sort.desc ? '-' : ''}${sort.field}`;
  const after = cursor ? decodeCursor(cursor) : null;
  if (cursor && (!after || after.sort !== name)) {
    throw new HttpError(
      400,
      'query parameter cursor belongs to another sort order or is not a cursor this API issued',
    );
  }
  return { spec, name, desc: sort.desc, after };
}
