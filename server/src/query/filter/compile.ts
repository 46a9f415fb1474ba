/*
 * Binds a parsed filter to a table: field names are looked up in the caller's FieldMap (the only
 * source of SQL identifiers), values become parameters, types are checked. Negation is pushed down
 * to the conditions so that a condition on a missing value is false and its negation true, the way
 * a person reads `browser != "Chrome"`, instead of SQL's NULL-is-neither.
 */
import type { CompareOp, FieldRef, FilterAst, Literal } from './ast';
import { SQL_DIALECTS, SqlWriter, type ParamValue, type SqlDialect } from './dialect';
import { FilterCompileError } from './errors';
import type { AttributesSpec, FieldMap, FieldSpec } from './fields';
import { parseInstant } from './time';

export interface CompiledFilter {
  /** One boolean SQL operand (parenthesised where needed), safe to put after WHERE or AND. */
  sql: string;
  /** Values in placeholder order: `?` number i is params[i] (DuckDB), `{pN:T}` is params[N - offset]. */
  params: ParamValue[];
}

export interface CompileOptions {
  /** ClickHouse only: number of the first placeholder (`{p<offset>:...}`), when the query has others. */
  paramOffset?: number;
}

const NEGATED: Record<CompareOp, string> = { '=': '<>', '<': '>=', '<=': '>', '>': '<=', '>=': '<' };

interface Operands {
  expr: () => string;
  value: () => string;
}

type Resolved =
  | { kind: 'column'; name: string; spec: FieldSpec }
  | { kind: 'attribute'; key: string; spec: AttributesSpec };

function hasOwn(record: object, key: string): boolean {
  return Object.prototype.hasOwnProperty.call(record, key);
}

function describeLiteral(value: Literal): string {
  return value.type === 'string'
    ? JSON.stringify(value.value)
    : value.type === 'number'
      ? value.raw
      : String(value.value);
}

class Compiler {
  constructor(
    private readonly fields: FieldMap,
    private readonly out: SqlWriter,
  ) {}

  private knownFields(): string {
    const names = Object.keys(this.fields.fields).sort();
    if (this.fields.attributes) names.push('attr."<attribute name>"');
    return names.join(', ');
  }

  private resolve(ref: FieldRef): Resolved {
    if (ref.attribute !== undefined) {
      if (!this.fields.attributes) {
        throw new FilterCompileError(
          `attribute lookups (attr."${ref.attribute}") are not available here; known fields: ${this.knownFields()}`,
          ref.position,
        );
      }
      return { kind: 'attribute', key: ref.attribute, spec: this.fields.attributes };
    }
    if (!hasOwn(this.fields.fields, ref.name)) {
      throw new FilterCompileError(
        `unknown field '${ref.name}'; known fields: ${this.knownFields()}`,
        ref.position,
      );
    }
    return { kind: 'column', name: ref.name, spec: this.fields.fields[ref.name] as FieldSpec };
  }

  compile(node: FilterAst, negated: boolean): string {
    switch (node.kind) {
      case 'all':
        return negated ? 'FALSE' : 'TRUE';
      case 'and':
      case 'or': {
        const parts = node.terms.map((t) => this.compile(t, negated));
        const joiner = (node.kind === 'and') !== negated ? ' AND ' : ' OR ';
        return `(${parts.join(joiner)})`;
      }
      case 'not':
        return this.compile(node.term, !negated);
      case 'compare':
        return this.compare(node.field, node.op, node.value, negated);
      case 'in':
        return this.in(node.field, node.values, negated);
      case 'match': {
        const expr = this.stringExpression(node.field, '~');
        return this.nullable(expr, negated, (e, neg) => this.out.like(e(), node.pattern, neg));
      }
      case 'contains': {
        const expr = this.stringExpression(node.field, 'contains');
        return this.nullable(expr, negated, (e) => this.out.contains(e(), node.text), true);
      }
      case 'exists':
        return this.exists(node.field, negated);
      case 'text':
        return this.text(node.text, node.position, negated);
      case 'word':
        return this.word(node.word, node.position, negated);
    }
  }

  /**
   * A condition over an expression that may be NULL: as is, or negated as "missing, or not so".
   * `wrap` negates the positive form with NOT; otherwise `cond` writes the negated form itself.
   */
  private nullable(
    expr: () => string,
    negated: boolean,
    cond: (e: () => string, negated: boolean) => string,
    wrap = false,
  ): string {
    if (!negated) return cond(expr, false);
    const isNull = `${expr()} IS NULL`;
    return `(${isNull} OR ${wrap ? `NOT (${cond(expr, false)})` : cond(expr, true)})`;
  }

  private stringExpression(ref: FieldRef, op: string): () => string {
    const field = this.resolve(ref);
    if (field.kind === 'attribute') return () => this.out.attribute(field.spec, field.key);
    if (field.spec.type !== 'string') {
      throw new FilterCompileError(
        `'${op}' needs a text field, and '${field.name}' is a ${field.spec.type} field`,
        ref.position,
      );
    }
    return () => field.spec.column;
  }

  private typeError(name: string, type: string, value: Literal, hint = ''): never {
    throw new FilterCompileError(
      `field '${name}' is a ${type} field and cannot be compared with ${describeLiteral(value)}${hint}`,
      value.position,
    );
  }

  /**
   * Checks that `value` may be compared with the field by `op`, and returns writers for the field's
   * expression and the value's placeholder. They are called in the order the SQL reads, because
   * placeholders are numbered in the order they are written (an attribute key is one too).
   */
  private operands(ref: FieldRef, op: CompareOp | 'in', value: Literal, numericAttribute: boolean): Operands {
    const field = this.resolve(ref);
    const ordering = op !== '=' && op !== 'in';
    if (field.kind === 'attribute') {
      const { spec, key } = field;
      if (numericAttribute) {
        if (value.type !== 'number') this.typeError(`attr.${JSON.stringify(key)}`, 'number', value);
        return { expr: () => this.out.numericAttribute(spec, key), value: () => this.out.param(value.value) };
      }
      if (ordering) this.typeError(`attr.${JSON.stringify(key)}`, 'text', value, `; '${op}' needs a number`);
      const text =
        value.type === 'string' ? value.value : value.type === 'number' ? value.raw : String(value.value);
      return { expr: () => this.out.attribute(spec, key), value: () => this.out.param(text) };
    }
    const { name, spec } = field;
    const expr = () => spec.column;
    switch (spec.type) {
      case 'string': {
        if (ordering) {
          throw new FilterCompileError(`'${op}' is not defined on the text field '${name}'`, ref.position);
        }
        if (value.type === 'boolean') this.typeError(name, 'text', value);
        // A number written against a text field means the text as written: version = 2, user = 1042.
        const text = value.type === 'number' ? value.raw : value.value;
        return { expr, value: () => this.out.param(text) };
      }
      case 'number': {
        if (value.type !== 'number') this.typeError(name, 'number', value);
        const n = value.value;
        return { expr, value: () => this.out.param(n) };
      }
      case 'boolean': {
        if (op !== '=') {
          throw new FilterCompileError(`'${op}' is not defined on the boolean field '${name}'`, ref.position);
        }
        if (value.type !== 'boolean') this.typeError(name, 'boolean', value, '; use true or false');
        const b = value.value;
        return { expr, value: () => this.out.param(b) };
      }
      case 'time': {
        if (op === 'in') {
          throw new FilterCompileError(`'in' is not defined on the time field '${name}'`, ref.position);
        }
        const epochMs =
          value.type === 'number' ? value.value : value.type === 'string' ? parseInstant(value.value) : null;
        if (epochMs === null) {
          this.typeError(
            name,
            'time',
            value,
            '; use an ISO 8601 time like "2024-05-01T12:00:00Z" or epoch milliseconds',
          );
        }
        return { expr, value: () => this.out.time(epochMs, spec.storage ?? 'timestamp') };
      }
    }
  }

  private compare(ref: FieldRef, op: CompareOp, value: Literal, negated: boolean): string {
    const { expr, value: placeholder } = this.operands(
      ref,
      op,
      value,
      ref.attribute !== undefined && value.type === 'number',
    );
    if (!negated) return `${expr()} ${op} ${placeholder()}`;
    return `(${expr()} IS NULL OR ${expr()} ${NEGATED[op]} ${placeholder()})`;
  }

  private in(ref: FieldRef, values: Literal[], negated: boolean): string {
    const field = this.resolve(ref);
    if (field.kind === 'column' && field.spec.type === 'boolean') {
      throw new FilterCompileError(
        `'in' is not defined on the boolean field '${field.name}'; use = true or = false`,
        ref.position,
      );
    }
    // An attribute is compared as a number only when every listed value is a number.
    const numeric = field.kind === 'attribute' && values.every((v) => v.type === 'number');
    const operands = values.map((v) => this.operands(ref, 'in', v, numeric));
    const expr = (operands[0] as Operands).expr;
    const isNull = negated ? `${expr()} IS NULL OR ` : '';
    const subject = expr();
    const list = operands.map((o) => o.value()).join(', ');
    return negated ? `(${isNull}${subject} NOT IN (${list}))` : `${subject} IN (${list})`;
  }

  private exists(ref: FieldRef, negated: boolean): string {
    const field = this.resolve(ref);
    if (field.kind === 'attribute') {
      const test = `COALESCE(${this.out.attributeExists(field.spec, field.key)}, FALSE)`;
      return negated ? `NOT ${test}` : test;
    }
    const c = field.spec.column;
    if (field.spec.type === 'string')
      return negated ? `(${c} IS NULL OR ${c} = '')` : `(${c} IS NOT NULL AND ${c} <> '')`;
    return negated ? `${c} IS NULL` : `${c} IS NOT NULL`;
  }

  private text(text: string, position: number, negated: boolean): string {
    const columns = this.fields.text ?? [];
    if (columns.length === 0) {
      throw new FilterCompileError(
        `free text search is not available here; compare a field instead (known fields: ${this.knownFields()})`,
        position,
      );
    }
    if (text.trim() === '') throw new FilterCompileError('free text to search for is empty', position);
    const parts = columns.map((c) =>
      this.nullable(
        () => c,
        negated,
        (e) => this.out.contains(e(), text),
        true,
      ),
    );
    return parts.length === 1 ? (parts[0] as string) : `(${parts.join(negated ? ' AND ' : ' OR ')})`;
  }

  private word(word: string, position: number, negated: boolean): string {
    if (hasOwn(this.fields.fields, word)) {
      const spec = this.fields.fields[word] as FieldSpec;
      if (spec.type === 'boolean') {
        return this.compare(
          { name: word, position },
          '=',
          { type: 'boolean', value: true, position },
          negated,
        );
      }
      throw new FilterCompileError(
        `'${word}' is a ${spec.type} field: compare it (e.g. ${word} ${spec.type === 'number' ? '>= 500' : '= "..."'}), or quote it to search for the word`,
        position,
      );
    }
    return this.text(word, position, negated);
  }
}

/**
 * Turns a parsed filter into one SQL condition and its parameters for the given dialect. Throws
 * FilterCompileError (with the position in the filter) for unknown fields and mismatched types.
 */
export function compileFilter(
  ast: FilterAst,
  fields: FieldMap,
  dialect: SqlDialect,
  options: CompileOptions = {},
): CompiledFilter {
  if (!SQL_DIALECTS.includes(dialect)) throw new Error(`unknown SQL dialect '${String(dialect)}'`);
  if (dialect === 'clickhouse' && fields.attributes?.storage === 'json') {
    throw new Error("ClickHouse attributes must be stored as a Map(String, String) (storage: 'map')");
  }
  const out = new SqlWriter(dialect, options.paramOffset ?? 0);
  const sql = new Compiler(fields, out).compile(ast, false);
  return { sql, params: out.params };
}

/** ClickHouse query_params for a compiled filter: `{pN:T}` is named `pN`. */
export function clickhouseQueryParams(compiled: CompiledFilter, paramOffset = 0): Record<string, ParamValue> {
  const named: Record<string, ParamValue> = {};
  compiled.params.forEach((value, i) => {
    named[`p${paramOffset + i}`] = value;
  });
  return named;
}
