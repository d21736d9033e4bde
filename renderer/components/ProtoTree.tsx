// Protocol tree: an ARIA tree. Expansion is remembered per field (protocol) across packets.

import { useEffect, useMemo, useRef, useState, type KeyboardEvent, type ReactElement } from 'react';
import type { WireNode } from '../../electron/ipc/contract.ts';
import { applyFilter, useShownPacket } from '../controller.ts';
import { useStore } from '../store.ts';
import { useT } from '../i18n/index.ts';

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

/** A display filter matching a node: `field == value`, or the field alone. */
export function filterFor(n: WireNode): string {
  if (n.value === undefined || n.value === '') return n.field;
  const v = n.value;
  const bare = /^(0x[0-9a-f]+|-?\d+(\.\d+)?|[0-9a-f]{2}(:[0-9a-f]{2})+|[0-9a-f:.]+)$/i.test(v) && !/^[a-z]+$/i.test(v);
  return `${n.field} == ${bare ? v : JSON.stringify(v)}`;
}

function TreeMenu({ x, y, node, close }: { x: number; y: number; node: WireNode; close: () => void }): ReactElement {
  const set = useStore((s) => s.set);
  const t = useT();
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    (ref.current?.querySelector('[role=menuitem]') as HTMLElement | null)?.focus();
  }, []);
  const expr = filterFor(node);
  const items: [string, () => void][] = [
    [t('ui.tree.applyFilter'), () => { set({ filterText: expr, filterCheck: { ok: true } }); void applyFilter(expr); }],
    [t('ui.tree.prepareFilter'), () => { set({ filterText: expr, filterCheck: { ok: true } }); document.getElementById('display-filter')?.focus(); }],
    [t('ui.tree.copyValue'), () => void navigator.clipboard?.writeText(node.value ?? node.label)],
  ];
  return (
    <div
      role="menu"
      aria-label={t('ui.tree.fieldActions')}
      className="tree-menu"
      ref={ref}
      style={{ left: x, top: y }}
      onKeyDown={(e) => {
        const list = [...(ref.current?.querySelectorAll<HTMLElement>('[role=menuitem]') ?? [])];
        const k = list.indexOf(document.activeElement as HTMLElement);
        if (e.key === 'Escape') close();
        else if (e.key === 'ArrowDown') list[(k + 1) % list.length]?.focus();
        else if (e.key === 'ArrowUp') list[(k - 1 + list.length) % list.length]?.focus();
        else return;
        e.preventDefault();
        e.stopPropagation();
      }}
    >
      {items.map(([label, act]) => (
        <div
          key={label}
          role="menuitem"
          tabIndex={-1}
          onClick={() => { close(); act(); }}
          onKeyDown={(e) => { if (e.key === 'Enter' || e.key === ' ') { e.preventDefault(); close(); act(); } }}
        >
          {label}
        </div>
      ))}
    </div>
  );
}

export function ProtoTree(): ReactElement {
  const t = useT();
  const [menu, setMenu] = useState<{ x: number; y: number; node: WireNode } | null>(null);
  useEffect(() => {
    if (!menu) return;
    const off = () => setMenu(null);
    window.addEventListener('mousedown', off);
    return () => window.removeEventListener('mousedown', off);
  }, [menu]);
  const shown = useShownPacket();
  const expanded = useStore((s) => s.expanded);
  const selectedNode = useStore((s) => s.selectedNode);
  const hoverPath = useStore((s) => s.hoverRange?.path ?? null);
  const toggle = useStore((s) => s.toggleExpanded);
  const set = useStore((s) => s.set);
  const items = useMemo(() => (shown ? visibleNodes(shown.packet.tree, expanded) : []), [shown, expanded]);

  if (!shown) return <div className="proto-tree empty">{t('ui.tree.empty')}</div>;

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
      case 'ContextMenu': case 'F10':
        if (e.key === 'F10' && !e.shiftKey) return;
        if (cur) {
          const r = (e.currentTarget as HTMLElement).querySelector('[aria-selected=true]')?.getBoundingClientRect();
          setMenu({ x: r ? r.left + 40 : 40, y: r ? r.bottom : 40, node: cur.node });
        }
        break;
      default: return;
    }
    e.preventDefault();
    if (items[next]) set({ selectedNode: items[next]!.path });
  };

  return (
    <div role="tree" aria-label={t('ui.tree.label')} className="proto-tree" tabIndex={0} onKeyDown={onKeyDown}>
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
            className={`tree-item${path === selectedNode ? ' selected' : ''}${path === hoverPath ? ' hovered' : ''}${node.generated ? ' generated' : ''}`}
            style={{ paddingLeft: `${(level - 1) * 1.1 + 0.3}em` }}
            onClick={() => set({ selectedNode: path })}
            onDoubleClick={() => hasKids && toggle(node.field, !open)}
            onContextMenu={(e) => {
              e.preventDefault();
              set({ selectedNode: path });
              setMenu({ x: e.clientX, y: e.clientY, node });
            }}
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
      {menu && (
        <div onMouseDown={(e) => e.stopPropagation()}>
          <TreeMenu x={menu.x} y={menu.y} node={menu.node} close={() => setMenu(null)} />
        </div>
      )}
    </div>
  );
}
