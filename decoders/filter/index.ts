// Display filters: Wireshark 4.0 syntax compiled to a predicate over a dissection.
//
//   const f = compileFilter('ip.addr == 10.0.0.0/8 && tcp.port in {80, 443}');
//   if (f.match(dissection)) ...            f.fields -> ['ip.addr', 'tcp.port']
//
// Errors are FilterError {message, start, end}: tshark's message and the characters to underline.

import type { Registry } from '../core/registry.ts';
import type { Dissection } from '../core/types.ts';
import { defaultRegistry } from '../index.ts';
import { Compiler } from './compile.ts';
import { FilterError } from './errors.ts';
import { parseFilter, type Expr } from './parser.ts';

export { FilterError, formatFilterError } from './errors.ts';
export { parseFilter, type Expr } from './parser.ts';
export { tokenize, type Token } from './lexer.ts';

export interface DisplayFilter {
  readonly text: string;
  /** True when the packet passes the filter. */
  readonly match: (d: Dissection) => boolean;
  /** Abbrevs of the fields and protocols the filter reads (empty for the empty filter). */
  readonly fields: readonly string[];
  /** The syntax tree (null for the empty filter). */
  readonly ast: Expr | null;
}

/** Compiles a display filter; throws FilterError. An empty (or blank) filter matches every packet. */
export function compileFilter(text: string, registry: Registry = defaultRegistry()): DisplayFilter {
  if (text.trim() === '') return { text, match: () => true, fields: [], ast: null };
  const ast = parseFilter(text);
  const { match, fields } = new Compiler(registry, text).compile(ast);
  return { text, match, fields, ast };
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
