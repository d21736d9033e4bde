// Finding fields in a dissected tree: every occurrence, outer layer first (pre-order), as
// `tshark -T fields` and display filters see them.

import type { FieldNode } from './types.ts';

export function findFields(nodes: readonly FieldNode[], abbrev: string, out: FieldNode[] = []): FieldNode[] {
  for (const n of nodes) {
    if (n.def.abbrev === abbrev) out.push(n);
    if (n.children) findFields(n.children, abbrev, out);
  }
  return out;
}

/** Visits every node in pre-order. */
export function walk(nodes: readonly FieldNode[], visit: (n: FieldNode, depth: number) => void, depth = 0): void {
  for (const n of nodes) {
    visit(n, depth);
    if (n.children) walk(n.children, visit, depth + 1);
  }
}
