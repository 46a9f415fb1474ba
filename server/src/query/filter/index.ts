/* The filter expression language of the query API: parse once, compile per table and dialect. */
export type { CompareOp, FieldRef, FilterAst, Literal } from './ast';
export { FilterError, FilterSyntaxError, FilterCompileError } from './errors';
export { parseFilter } from './parser';
export { compileFilter, clickhouseQueryParams, type CompiledFilter, type CompileOptions } from './compile';
export { SQL_DIALECTS, type SqlDialect, type ParamValue } from './dialect';
export {
  STANDARD_FIELDS,
  type FieldMap,
  type FieldSpec,
  type FieldType,
  type AttributesSpec,
  type TimeStorage,
} from './fields';
