// Protocol tree: an ARIA tree. Expansion is remembered per field (protocol) across packets.

import { useMemo, type KeyboardEvent, type ReactElement } from 'react';
import type { WireNode } from '../../electron/ipc/contract.ts';
import { useShownPacket } from '../controller.ts';
import { useStore } from '../store.ts';

interface Visible {
  node: WireNode;
  path: string;
  level: number;
}

function visibleNodes(tree: WireNode[], expanded: Record<string, boolean>): Visible[] {
  const out: Visible[] = [];
  const walk = (list: WireNode[], prefix: string, level: number) => {
    list.forEach((n, i) => {
      if (n.hidden) return;
      const path = prefix ? `${prefix}.${i}` : String(i);
      out.push({ node: n, path, level });
      if (n.children?.length && expanded[n.field]) walk(n.children, path, level + 1);
    });
  };
  walk(tree, '', 1);
  return out;
}

export function ProtoTree(): ReactElement {
  const shown = useShownPacket();
  const expanded = useStore((s) => s.expanded);
  const selectedNode = useStore((s) => s.selectedNode);
  const toggle = useStore((s) => s.toggleExpanded);
  const set = useStore((s) => s.set);
  const items = useMemo(() => (shown ? visibleNodes(shown.packet.tree, expanded) : []), [shown, expanded]);

  if (!shown) return <div className="proto-tree empty">Select a packet to see its protocol tree.</div>;

  const onKeyDown = (e: KeyboardEvent) => {
    const k = items.findIndex((v) => v.path === selectedNode);
    const cur = items[k];
    let next = k;
    switch (e.key) {
      case 'ArrowDown': next = Math.min(items.length - 1, k + 1); break;
      case 'ArrowUp': next = Math.max(0, k - 1); break;
      case 'Home': next = 0; break;
      case 'End': next = items.length - 1; break;
      case 'ArrowRight': if (cur?.node.children?.length) toggle(cur.node.field, true); break;
      case 'ArrowLeft':
        if (cur?.node.children?.length && expanded[cur.node.field]) toggle(cur.node.field, false);
        else if (cur && cur.path.includes('.')) next = items.findIndex((v) => v.path === cur.path.slice(0, cur.path.lastIndexOf('.')));
        break;
      case 'Enter': case ' ': if (cur?.node.children?.length) toggle(cur.node.field, !expanded[cur.node.field]); break;
      default: return;
    }
    e.preventDefault();
    if (items[next]) set({ selectedNode: items[next]!.path });
  };

  return (
    <div role="tree" aria-label="Packet details" className="proto-tree" tabIndex={0} onKeyDown={onKeyDown}>
      {items.map(({ node, path, level }) => {
        const hasKids = !!node.children?.length;
        const open = hasKids && !!expanded[node.field];
        return (
          <div
            key={path}
            role="treeitem"
            aria-level={level}
            aria-expanded={hasKids ? open : undefined}
            aria-selected={path === selectedNode}
            data-field={node.field}
            className={`tree-item${path === selectedNode ? ' selected' : ''}${node.generated ? ' generated' : ''}`}
            style={{ paddingLeft: `${(level - 1) * 1.1 + 0.3}em` }}
            onClick={() => set({ selectedNode: path })}
            onDoubleClick={() => hasKids && toggle(node.field, !open)}
          >
            <span
              className="twisty"
              aria-hidden="true"
              onClick={(e) => {
                e.stopPropagation();
                if (hasKids) toggle(node.field, !open);
                set({ selectedNode: path });
              }}
            >
              {hasKids ? (open ? '▾' : '▸') : ''}
            </span>
            {node.label}
          </div>
        );
      })}
    </div>
  );
}
