/** Any refusal of a filter expression; the query API answers it with 400 and the message. */
export class FilterError extends Error {
  /** Offset (in UTF-16 code units, 0-based) in the filter where the problem is. */
  readonly position: number;

  constructor(message: string, position: number) {
    super(`${message} (at position ${position})`);
    this.name = new.target.name;
    this.position = position;
  }
}

/** The text is not a filter expression: says what was expected and what was found where. */
export class FilterSyntaxError extends FilterError {}

/** The expression parses but cannot be bound: unknown field, wrong type of value, limit hit. */
export class FilterCompileError extends FilterError {}
