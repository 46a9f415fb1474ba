/*
 * Recursive-descent parser for the filter language (grammar in README.md). Precedence, loosest
 * first: `or`, `and` (also implied between adjacent conditions), `not`, then conditions and
 * parentheses. Depth and the number of conditions are counted as it goes, so hostile input is
 * refused before it can exhaust the stack.
 */
import { MAX_FILTER_DEPTH, MAX_FILTER_IN_VALUES, MAX_FILTER_TERMS } from '@otel-rum/model';
import type { FieldRef, FilterAst, Literal } from './ast';
import { FilterSyntaxError } from './errors';
import { tokenize, type Token } from './lexer';

const KEYWORDS = new Set(['and', 'or', 'not', 'in', 'contains', 'exists', 'true', 'false']);

function keyword(token: Token): string | null {
  if (token.type !== 'word') return null;
  const lower = token.value.toLowerCase();
  return KEYWORDS.has(lower) ? lower : null;
}

function describe(token: Token): string {
  switch (token.type) {
    case 'eof':
      return 'the end of the filter';
    case 'op':
      return `'${token.op}'`;
    case 'string':
      return `the string ${JSON.stringify(token.value)}`;
    case 'number':
      return `the number ${token.raw}`;
    case 'word':
      return keyword(token) ? `the keyword '${token.value}'` : `the word '${token.value}'`;
    case 'attr':
      return `the attribute attr.${JSON.stringify(token.key)}`;
    default:
      return `'${token.type}'`;
  }
}

class Parser {
  private index = 0;
  private depth = 0;
  private terms = 0;

  constructor(private readonly tokens: Token[]) {}

  parse(): FilterAst {
    if (this.peek().type === 'eof') return { kind: 'all' };
    const ast = this.parseOr();
    const rest = this.peek();
    if (rest.type !== 'eof') {
      throw new FilterSyntaxError(
        rest.type === ')'
          ? "unbalanced ')': there is no '(' to close"
          : `expected 'and', 'or' or the end of the filter, found ${describe(rest)}`,
        rest.position,
      );
    }
    return ast;
  }

  private peek(ahead = 0): Token {
    return this.tokens[Math.min(this.index + ahead, this.tokens.length - 1)] as Token;
  }

  private next(): Token {
    const token = this.peek();
    if (token.type !== 'eof') this.index += 1;
    return token;
  }

  private fail(expected: string, token: Token = this.peek(), hint = ''): never {
    throw new FilterSyntaxError(`expected ${expected}, found ${describe(token)}${hint}`, token.position);
  }

  private enter(position: number): void {
    this.depth += 1;
    if (this.depth > MAX_FILTER_DEPTH) {
      throw new FilterSyntaxError(
        `filter nests deeper than ${MAX_FILTER_DEPTH} levels of parentheses and 'not' (MAX_FILTER_DEPTH)`,
        position,
      );
    }
  }

  private countTerm(position: number): void {
    this.terms += 1;
    if (this.terms > MAX_FILTER_TERMS) {
      throw new FilterSyntaxError(
        `filter has more than ${MAX_FILTER_TERMS} conditions (MAX_FILTER_TERMS)`,
        position,
      );
    }
  }

  private parseOr(): FilterAst {
    const position = this.peek().position;
    const terms = [this.parseAnd()];
    while (keyword(this.peek()) === 'or') {
      this.next();
      terms.push(this.parseAnd());
    }
    return terms.length === 1 ? (terms[0] as FilterAst) : { kind: 'or', terms, position };
  }

  /** A token that can begin a condition, so that `a b` reads as `a and b`. */
  private startsTerm(token: Token): boolean {
    if (token.type === '(' || token.type === 'string' || token.type === 'number' || token.type === 'attr') {
      return true;
    }
    if (token.type !== 'word') return false;
    const kw = keyword(token);
    return kw === null || kw === 'not';
  }

  private parseAnd(): FilterAst {
    const position = this.peek().position;
    const terms = [this.parseUnary()];
    for (;;) {
      if (keyword(this.peek()) === 'and') {
        this.next();
        terms.push(this.parseUnary());
      } else if (this.startsTerm(this.peek())) {
        terms.push(this.parseUnary());
      } else {
        break;
      }
    }
    return terms.length === 1 ? (terms[0] as FilterAst) : { kind: 'and', terms, position };
  }

  private parseUnary(): FilterAst {
    const token = this.peek();
    if (keyword(token) !== 'not') return this.parsePrimary();
    this.next();
    this.enter(token.position);
    const term = this.parseUnary();
    this.depth -= 1;
    return { kind: 'not', term, position: token.position };
  }

  private parsePrimary(): FilterAst {
    const token = this.peek();
    switch (token.type) {
      case '(': {
        this.next();
        this.enter(token.position);
        if (this.peek().type === ')') this.fail('a condition inside the parentheses');
        const inner = this.parseOr();
        const close = this.peek();
        if (close.type !== ')') {
          throw new FilterSyntaxError(
            close.type === 'eof'
              ? "unbalanced '(': expected ')' before the end of the filter"
              : `expected ')' to close the '(' at position ${token.position}, found ${describe(close)}`,
            close.position,
          );
        }
        this.next();
        this.depth -= 1;
        return inner;
      }
      case 'string':
        this.next();
        this.countTerm(token.position);
        return { kind: 'text', text: token.value, position: token.position };
      case 'number':
        this.next();
        this.countTerm(token.position);
        return { kind: 'text', text: token.raw, position: token.position };
      case 'attr':
        this.next();
        if (!this.startsPredicate()) {
          this.fail(
            `an operator after attr.${JSON.stringify(token.key)} (= != < <= > >= ~ !~ in contains exists)`,
          );
        }
        return this.parsePredicate({ name: 'attr', attribute: token.key, position: token.position });
      case 'word': {
        const kw = keyword(token);
        if (kw !== null) {
          const hint =
            kw === 'true' || kw === 'false' ? `; compare a field with it, e.g. has_replay = ${kw}` : '';
          this.fail('a condition', token, hint);
        }
        this.next();
        if (token.value.toLowerCase() === 'text' && this.peek().type === ':') {
          this.next();
          const value = this.next();
          if (value.type !== 'string' && value.type !== 'word' && value.type !== 'number') {
            this.fail('the text to search for after text:, e.g. text:"payment failed"', value);
          }
          this.countTerm(token.position);
          const text = value.type === 'number' ? value.raw : value.value;
          return { kind: 'text', text, position: token.position };
        }
        const field: FieldRef = { name: token.value, position: token.position };
        if (this.startsPredicate()) return this.parsePredicate(field);
        this.countTerm(token.position);
        return { kind: 'word', word: token.value, position: token.position };
      }
      default:
        this.fail('a condition (a field comparison, free text or a parenthesised group)', token);
    }
  }

  private startsPredicate(): boolean {
    const token = this.peek();
    if (token.type === 'op') return true;
    const kw = keyword(token);
    if (kw === 'in' || kw === 'contains' || kw === 'exists') return true;
    if (kw !== 'not') return false;
    const after = keyword(this.peek(1));
    return after === 'in' || after === 'contains' || after === 'exists';
  }

  /** After a field: an operator and its operand; the field is known to be followed by one. */
  private parsePredicate(field: FieldRef): FilterAst {
    const negated = keyword(this.peek()) === 'not';
    if (negated) this.next();
    const op = this.next();
    this.countTerm(field.position);
    const positive = this.parseOperand(field, op);
    const isNegation = negated || (op.type === 'op' && (op.op === '!=' || op.op === '!~'));
    return isNegation ? { kind: 'not', term: positive, position: op.position } : positive;
  }

  private parseOperand(field: FieldRef, op: Token): FilterAst {
    const position = field.position;
    if (op.type === 'op') {
      if (op.op === '~' || op.op === '!~') {
        const pattern = this.next();
        if (pattern.type !== 'string')
          this.fail(`a quoted pattern after '${op.op}', e.g. "/checkout*"`, pattern);
        return { kind: 'match', field, pattern: pattern.value, position };
      }
      const value = this.parseValue(`'${op.op}'`);
      return { kind: 'compare', field, op: op.op === '!=' ? '=' : op.op, value, position };
    }
    const kw = keyword(op);
    if (kw === 'exists') return { kind: 'exists', field, position };
    if (kw === 'contains') {
      const text = this.next();
      if (text.type !== 'string') this.fail(`a quoted string after 'contains'`, text);
      return { kind: 'contains', field, text: text.value, position };
    }
    // 'in'
    const open = this.next();
    if (open.type !== '(') this.fail(`'(' after 'in', e.g. in ("a", "b")`, open);
    const values: Literal[] = [];
    for (;;) {
      if (values.length === MAX_FILTER_IN_VALUES) {
        throw new FilterSyntaxError(
          `'in' list has more than ${MAX_FILTER_IN_VALUES} values (MAX_FILTER_IN_VALUES)`,
          this.peek().position,
        );
      }
      values.push(this.parseValue(values.length === 0 ? "'in ('" : "','"));
      const sep = this.next();
      if (sep.type === ')') break;
      if (sep.type !== ',') this.fail(`',' or ')' in the 'in' list`, sep);
    }
    return { kind: 'in', field, values, position };
  }

  private parseValue(after: string): Literal {
    const token = this.next();
    if (token.type === 'string') return { type: 'string', value: token.value, position: token.position };
    if (token.type === 'number') {
      return { type: 'number', value: token.value, raw: token.raw, position: token.position };
    }
    const kw = keyword(token);
    if (kw === 'true' || kw === 'false')
      return { type: 'boolean', value: kw === 'true', position: token.position };
    const hint = token.type === 'word' && kw === null ? `; put text values in quotes: "${token.value}"` : '';
    return this.fail(`a value (a quoted string, a number, true or false) after ${after}`, token, hint);
  }
}

/** Parses a filter expression; the empty string (or only spaces) is the filter that matches all. */
export function parseFilter(input: string): FilterAst {
  if (typeof input !== 'string') throw new FilterSyntaxError('filter must be a string', 0);
  return new Parser(tokenize(input)).parse();
}
