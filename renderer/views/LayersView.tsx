// Layers view (teaching): the selected packet's encapsulation stack as colored bands sized by
// their bytes, each with its key fields. Hovering a band marks its bytes in the hex pane and its
// node in the tree; clicking selects the node. Also the packet's tcpdump line, with a copy button,
// and the switch for the Outer source/destination list columns.

import { useEffect, useMemo, useState, type ReactElement } from 'react';
import { packetLayers, type Layer } from '../../electron/engine/layers.ts';
import { nodeAt, useShownPacket } from '../controller.ts';
import { copyText, tcpdumpLine } from '../copy-text.ts';
import { useT, type MessageKey } from '../i18n/index.ts';
import { useStore } from '../store.ts';
import './layers.css';

const KIND_KEYS: Record<Layer['kind'], MessageKey> = {
  link: 'layers.kind.link',
  network: 'layers.kind.network',
  transport: 'layers.kind.transport',
  tunnel: 'layers.kind.tunnel',
  application: 'layers.kind.application',
  data: 'layers.kind.data',
  trailer: 'layers.kind.trailer',
};

/** The hex pane / band color class of a layer. */
export const layerColor = (l: Layer): string => `layer-${l.kind}`;

function useLayerActions() {
  const set = useStore((s) => s.set);
  const toggle = useStore((s) => s.toggleExpanded);
  const shown = useShownPacket();
  return {
    hover: (l: Layer | null) => set({ hoverRange: l ? { source: l.source, start: l.offset, end: l.offset + l.length, path: l.path, color: layerColor(l) } : null }),
    select: (l: Layer) => {
      // open the ancestors (a trailer sits inside its Ethernet node) so the node is visible
      const parts = l.path.split('.');
      for (let k = 1; k < parts.length; k++) {
        const anc = shown ? nodeAt(shown.packet.tree, parts.slice(0, k).join('.')) : null;
        if (anc) toggle(anc.field, true);
      }
      set({ selectedNode: l.path });
    },
  };
}

function TcpdumpLine({ number }: { number: number }): ReactElement {
  const t = useT();
  const [line, setLine] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [copied, setCopied] = useState(false);
  useEffect(() => {
    let live = true;
    setLine(null);
    setError(null);
    setCopied(false);
    tcpdumpLine(number).then(
      (l) => live && setLine(l),
      (e: Error) => live && setError(e.message),
    );
    return () => {
      live = false;
    };
  }, [number]);
  return (
    <div className="layers-tcpdump">
      <span className="layers-tcpdump-label">{t('layers.tcpdumpLine')}</span>
      <code className="layers-tcpdump-text" data-testid="tcpdump-line">{line ?? error ?? '…'}</code>
      <button
        type="button"
        disabled={line === null}
        onClick={() => {
          if (line !== null) void copyText(line).then((ok) => setCopied(ok));
        }}
      >
        {copied ? t('layers.copied') : t('layers.copyTcpdump')}
      </button>
    </div>
  );
}

export function LayersView(): ReactElement {
  const t = useT();
  const shown = useShownPacket();
  const selectedNode = useStore((s) => s.selectedNode);
  const hoverPath = useStore((s) => s.hoverRange?.path ?? null);
  const outerColumns = useStore((s) => s.outerColumns);
  const set = useStore((s) => s.set);
  const { hover, select } = useLayerActions();
  const layers = useMemo(() => (shown ? packetLayers(shown.packet.tree) : []), [shown]);
  // A band hovered when the packet changes or the view closes leaves no mark behind.
  useEffect(() => () => useStore.getState().set({ hoverRange: null }), [shown]);
  // While the view is open the hex pane tints every byte with its layer's color.
  useEffect(() => {
    const frameLayers = layers.filter((l) => l.source === 0 && l.length > 0);
    useStore.getState().set({ layerTint: frameLayers.length ? { source: 0, ranges: frameLayers.map((l) => [l.offset, l.offset + l.length, `tint-${l.kind}`]) } : null });
    return () => useStore.getState().set({ layerTint: null });
  }, [layers]);

  if (!shown) return <div className="layers-view empty">{t('layers.noPacket')}</div>;
  const frame = shown.packet.sources[0]?.length ?? 0;
  const bands = layers.filter((l) => l.source === 0 && l.length > 0);
  const maxDepth = layers.reduce((m, l) => Math.max(m, l.depth), 0);
  const depthLabel = (d: number) => (maxDepth === 0 ? '' : d === 0 ? t('layers.outer') : d === maxDepth ? t('layers.inner') : t('layers.level', { n: d }));
  const bandProps = (l: Layer) => ({
    onMouseEnter: () => hover(l),
    onMouseLeave: () => hover(null),
    onFocus: () => hover(l),
    onBlur: () => hover(null),
    onClick: () => select(l),
    'data-abbrev': l.abbrev,
    'data-offset': l.offset,
    'data-length': l.length,
    'aria-current': l.path === selectedNode ? ('true' as const) : undefined,
  });
  const fieldText = (l: Layer) => l.fields.map((f) => `${f.field}=${f.value}`).join('  ');

  return (
    <div className="layers-view" aria-label={t('layers.title')}>
      <div className="layers-head">
        <span>{t('layers.summary', { n: shown.packet.frame, layers: layers.length, bytes: frame })}</span>
        {maxDepth > 0 && <span className="layers-tunnel">{t('layers.tunnelled', { n: maxDepth })}</span>}
        <label className="layers-outer-toggle">
          <input type="checkbox" checked={outerColumns} onChange={(e) => set({ outerColumns: e.target.checked })} /> {t('layers.showOuterColumns')}
        </label>
      </div>
      <div className="layers-bands" role="group" aria-label={t('layers.diagram')}>
        {bands.map((l, k) => (
          <button
            type="button"
            key={l.path + ':' + k}
            className={`layer-band ${layerColor(l)}${l.path === hoverPath ? ' hovered' : ''}${l.depth > 0 ? ' inner' : ''}`}
            style={{ flexGrow: l.length, flexBasis: 0 }}
            title={`${l.label}\n${t('layers.bytes', { start: l.offset, end: l.offset + l.length - 1, n: l.length })}\n${fieldText(l)}`}
            {...bandProps(l)}
          >
            <span className="layer-name">{l.name}</span>
            <span className="layer-bytes">{t('layers.nBytes', { n: l.length })}</span>
            {l.fields.slice(0, 3).map((f, i) => (
              <span className="layer-field" key={i}>
                {f.value}
              </span>
            ))}
          </button>
        ))}
      </div>
      <table className="layers-table">
        <thead>
          <tr>
            <th>{t('layers.col.layer')}</th>
            <th>{t('layers.col.kind')}</th>
            <th>{t('layers.col.bytes')}</th>
            <th>{t('layers.col.fields')}</th>
          </tr>
        </thead>
        <tbody>
          {layers.map((l, k) => (
            <tr key={l.path + ':' + k} className={`layer-row${l.path === hoverPath ? ' hovered' : ''}`} tabIndex={0} {...bandProps(l)}>
              <td style={{ paddingLeft: `${0.4 + l.depth * 1.2}em` }}>
                <span className={`layer-swatch ${layerColor(l)}`} aria-hidden="true" /> {l.name}
                {depthLabel(l.depth) && <span className="layer-depth"> ({depthLabel(l.depth)})</span>}
              </td>
              <td>{t(KIND_KEYS[l.kind])}</td>
              <td className="layer-range">{l.length > 0 ? t('layers.bytes', { start: l.offset, end: l.offset + l.length - 1, n: l.length }) : t('layers.nBytes', { n: 0 })}</td>
              <td className="layer-fields">
                {l.fields.map((f, i) => (
                  <span key={i} className="layer-kv">
                    <span className="layer-k">{f.field}</span> <span className="layer-v">{f.value}</span>
                  </span>
                ))}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <TcpdumpLine number={shown.packet.frame} />
    </div>
  );
}
