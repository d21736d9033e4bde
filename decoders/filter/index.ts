// Display filters: Wireshark 4.0 syntax compiled to a predicate over a dissection.
//
//   const f = compileFilter('ip.addr == 10.0.0.0/8 && tcp.port in {80, 443}');
//   if (f.match(dissection)) ...            f.fields -> ['ip.addr', 'tcp.port']
//
// Errors are FilterError {message, start, end}: tshark's message and the characters to underline.

import type { Registry } from '../core/registry.ts';
import type { Dissection } from '../core/types.ts';
import { defaultRegistry } from '../index.ts';
import { Compiler, type Compiled } from './compile.ts';
import { FilterError } from './errors.ts';
import { parseFilter, type Expr } from './parser.ts';

export { FilterError, formatFilterError } from './errors.ts';
export { parseFilter, type Expr } from './parser.ts';
export { tokenize, type Token } from './lexer.ts';
export type { FieldSource } from './compile.ts';

export interface DisplayFilter {
  readonly text: string;
  /** True when the packet passes the filter. */
  readonly match: (d: Dissection) => boolean;
  /** Evaluation without a tree, from the occurrences `fill` gives for each field read (see compile.ts). */
  readonly matchFields: Compiled['matchFields'];
  /** Abbrevs of the fields and protocols the filter reads (empty for the empty filter). */
  readonly fields: readonly string[];
  /** The same as field definitions. */
  readonly defs: Compiled['defs'];
  /** The syntax tree (null for the empty filter). */
  readonly ast: Expr | null;
}

/** Compiles a display filter; throws FilterError. An empty (or blank) filter matches every packet. */
export function compileFilter(text: string, registry: Registry = defaultRegistry()): DisplayFilter {
  if (text.trim() === '') return { text, match: () => true, matchFields: () => true, fields: [], defs: [], ast: null };
  const ast = parseFilter(text);
  const { match, matchFields, fields, defs } = new Compiler(registry, text).compile(ast);
  return { text, match, matchFields, fields, defs, ast };
}

/** Validates a filter for the filter bar: null when it is fine, else the error with its range. */
export function checkFilter(text: string, registry: Registry = defaultRegistry()): FilterError | null {
  try {
    compileFilter(text, registry);
    return null;
  } catch (e) {
    if (e instanceof FilterError) return e;
    throw e;
  }
}
