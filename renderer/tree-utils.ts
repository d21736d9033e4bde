// Protocol tree helpers shared by the tree and hex panes (pure: unit-tested without a DOM).

import type { WireNode } from '../electron/ipc/contract.ts';

/** Node at a path like "0.2.1" in a tree. */
export function nodeAt(tree: WireNode[], path: string | null): WireNode | null {
  if (path === null) return null;
  let list: WireNode[] | undefined = tree;
  let n: WireNode | null = null;
  for (const k of path.split('.')) {
    n = list?.[Number(k)] ?? null;
    if (!n) return null;
    list = n.children;
  }
  return n;
}

/** Path of the deepest visible node covering byte `offset` of data source `source`. */
export function deepestAt(tree: WireNode[], source: number, offset: number): string | null {
  let best: string | null = null;
  const walk = (list: WireNode[], prefix: string) => {
    list.forEach((n, i) => {
      if (n.hidden) return;
      const path = prefix ? `${prefix}.${i}` : String(i);
      const covers = n.source === source && n.length > 0 && offset >= n.offset && offset < n.offset + n.length;
      if (covers) best = path;
      if (n.children && (covers || n.length === 0 || n.source !== source)) walk(n.children, path);
    });
  };
  walk(tree, '');
  return best;
}
