// Hex/ASCII pane: 16 bytes a line; the selected field's bytes are highlighted; clicking a byte
// selects the deepest field covering it; hovering shows hex, decimal, binary and ASCII name.

import { useState, type ReactElement } from 'react';
import { deepestAt, nodeAt, useShownPacket } from '../controller.ts';
import { useStore } from '../store.ts';
import { t as translate, useT } from '../i18n/index.ts';

const CONTROL = ['NUL', 'SOH', 'STX', 'ETX', 'EOT', 'ENQ', 'ACK', 'BEL', 'BS', 'HT', 'LF', 'VT', 'FF', 'CR', 'SO', 'SI', 'DLE', 'DC1', 'DC2', 'DC3', 'DC4', 'NAK', 'SYN', 'ETB', 'CAN', 'EM', 'SUB', 'ESC', 'FS', 'GS', 'RS', 'US'];

export function byteInfo(b: number): string {
  const name = b < 32 ? CONTROL[b]! : b === 32 ? translate('ui.hex.space') : b === 127 ? 'DEL' : b < 127 ? `'${String.fromCharCode(b)}'` : translate('ui.hex.nonAscii');
  return `0x${b.toString(16).padStart(2, '0')}  ${b}  0b${b.toString(2).padStart(8, '0')}  ${name}`;
}

const hex2 = (b: number) => b.toString(16).padStart(2, '0');
const printable = (b: number) => (b >= 32 && b < 127 ? String.fromCharCode(b) : '.');

export function HexPane(): ReactElement {
  const t = useT();
  const shown = useShownPacket();
  const selectedNode = useStore((s) => s.selectedNode);
  const hoverRange = useStore((s) => s.hoverRange);
  const layerTint = useStore((s) => s.layerTint);
  const set = useStore((s) => s.set);
  const toggle = useStore((s) => s.toggleExpanded);
  const [tab, setTab] = useState(0);
  const [hover, setHover] = useState<string>('');

  if (!shown) return <div role="region" aria-label={t('ui.hex.label')} className="hex-pane empty" />;
  const node = nodeAt(shown.packet.tree, selectedNode);
  const source = node ? node.source : Math.min(tab, shown.bytes.length - 1);
  const data = shown.bytes[source] ?? new Uint8Array();
  const lo = node && node.source === source ? node.offset : -1;
  const hi = node && node.source === source ? node.offset + node.length : -1;
  // Bytes hovered in another view (a Layers band): marked with that view's color.
  const hovLo = hoverRange && hoverRange.source === source ? hoverRange.start : -1;
  const hovHi = hoverRange && hoverRange.source === source ? hoverRange.end : -1;
  const hovCls = hoverRange ? ` hov${hoverRange.color ? ` ${hoverRange.color}` : ''}` : '';
  // Bytes tinted by layer while the Layers view is open.
  const tintAt: string[] = [];
  if (layerTint && layerTint.source === source) for (const [a, b, c] of layerTint.ranges) for (let o = Math.max(0, a); o < Math.min(b, data.length); o++) tintAt[o] = ` ${c}`;

  const pick = (off: number) => {
    const path = deepestAt(shown.packet.tree, source, off);
    if (path === null) return;
    // open every ancestor so the field is visible in the tree
    const parts = path.split('.');
    for (let k = 1; k < parts.length; k++) {
      const anc = nodeAt(shown.packet.tree, parts.slice(0, k).join('.'));
      if (anc) toggle(anc.field, true);
    }
    set({ selectedNode: path });
  };

  const lines: ReactElement[] = [];
  for (let off = 0; off < data.length; off += 16) {
    const hexCells: ReactElement[] = [];
    const asciiCells: ReactElement[] = [];
    for (let k = 0; k < 16; k++) {
      const o = off + k;
      if (o >= data.length) {
        hexCells.push(<span key={k} className="hb pad">{'  '}</span>);
        continue;
      }
      const b = data[o]!;
      const sel = o >= lo && o < hi;
      const hov = (o >= hovLo && o < hovHi ? hovCls : '') + (tintAt[o] ?? '');
      const common = {
        'data-off': o,
        'aria-selected': sel,
        title: byteInfo(b),
        onClick: () => pick(o),
        onMouseEnter: () => setHover(t('ui.hex.hover', { offset: o, hex: o.toString(16).padStart(4, '0'), info: byteInfo(b) })),
      };
      hexCells.push(<span key={k} className={`hb${sel ? ' sel' : ''}${hov}${k === 8 ? ' mid' : ''}`} {...common}>{hex2(b)}</span>);
      asciiCells.push(<span key={k} className={`ab${sel ? ' sel' : ''}${hov}`} {...common} aria-hidden="true">{printable(b)}</span>);
    }
    lines.push(
      <div className="hex-line" key={off}>
        <span className="hex-off">{off.toString(16).padStart(4, '0')}</span>
        <span className="hex-bytes">{hexCells}</span>
        <span className="hex-ascii">{asciiCells}</span>
      </div>,
    );
  }
  return (
    <div role="region" aria-label={t('ui.hex.label')} className="hex-pane">
      {shown.packet.sources.length > 1 && (
        <div role="tablist" className="hex-tabs">
          {shown.packet.sources.map((s, i) => (
            <button key={i} role="tab" aria-selected={i === source} onClick={() => { setTab(i); set({ selectedNode: null }); }}>
              {t('ui.hex.sourceTab', { name: s.name, n: s.length })}
            </button>
          ))}
        </div>
      )}
      <div className="hex-lines" onMouseLeave={() => setHover('')}>{lines}</div>
      <div className="hex-hover" aria-live="off">{hover}</div>
    </div>
  );
}
