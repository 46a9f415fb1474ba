/*
 * The parsed form of a filter expression. Every node keeps the character offset where it starts in
 * the input, so that errors found while binding it to fields can point at the right place.
 * Negated operators (`!=`, `!~`, `not in`, `not contains`, `not exists`) are parsed into a `not`
 * node around the positive condition: the compiler knows one meaning of negation, not six.
 */

export type Literal =
  | { type: 'string'; value: string; position: number }
  /** `raw` is the number as written, used where a number is compared with a text field. */
  | { type: 'number'; value: number; raw: string; position: number }
  | { type: 'boolean'; value: boolean; position: number };

/** A field reference: a name from the field map, or `attr."key"` for one event attribute. */
export interface FieldRef {
  name: string;
  /** Set for `attr."key"` / `attr.key`: the attribute key looked up in the attributes column. */
  attribute?: string;
  position: number;
}

export type CompareOp = '=' | '<' | '<=' | '>' | '>=';

export type FilterAst =
  /** The empty filter: matches everything. */
  | { kind: 'all' }
  | { kind: 'and'; terms: FilterAst[]; position: number }
  | { kind: 'or'; terms: FilterAst[]; position: number }
  | { kind: 'not'; term: FilterAst; position: number }
  | { kind: 'compare'; field: FieldRef; op: CompareOp; value: Literal; position: number }
  | { kind: 'in'; field: FieldRef; values: Literal[]; position: number }
  /** Glob match: `*` any run of characters, `?` one character, `\*` `\?` `\\` literal. */
  | { kind: 'match'; field: FieldRef; pattern: string; position: number }
  /** Case-insensitive substring. */
  | { kind: 'contains'; field: FieldRef; text: string; position: number }
  | { kind: 'exists'; field: FieldRef; position: number }
  /** Free text: a quoted string, `text:"..."`, or a number standing alone. */
  | { kind: 'text'; text: string; position: number }
  /** A bare word: a boolean field when the field map has one by that name, else free text. */
  | { kind: 'word'; word: string; position: number };
