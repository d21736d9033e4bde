// Expert information view: the capture's expert items grouped by severity (errors, warnings,
// notes, chats, comments), each with its count, protocol and message, an explanation of what it
// usually means and what to check next, and ways to its packets: "Show packets" applies a display
// filter selecting exactly them, ◀ ▶ step through them with the packet list's selection.

import { useCallback, useEffect, useState, type ReactElement } from 'react';
import type { WireExpert, WireExpertItem, ExpertSeverity } from '../../electron/ipc/contract.ts';
import { request } from '../api.ts';
import { applyFilter, ensureRows, goToPacket } from '../controller.ts';
import { en } from '../i18n/en.ts';
import { useT, type MessageKey } from '../i18n/index.ts';
import { useStore } from '../store.ts';
import './expert.css';

const SEVERITY_KEYS: Record<ExpertSeverity, MessageKey> = {
  error: 'expert.severity.error',
  warn: 'expert.severity.warn',
  note: 'expert.severity.note',
  chat: 'expert.severity.chat',
  comment: 'expert.severity.comment',
};

/** The explanation key of an item kind (every kind the engine knows has one; see the unit test). */
export function explanationKey(kind: string, severity: ExpertSeverity): MessageKey {
  const key = `expert.kind.${kind}`;
  if (key in en) return key as MessageKey;
  return (severity === 'comment' ? 'expert.kind.comment' : `expert.kind.other.${severity}`) as MessageKey;
}

/** Wireshark's expert groups shown translated (others as they come). */
const GROUP_KEYS: Record<string, MessageKey> = { 'checksum': 'expert.group.checksum', 'sequence': 'expert.group.sequence', 'response code': 'expert.group.responsecode', 'request code': 'expert.group.requestcode', 'undecoded': 'expert.group.undecoded', 'reassemble': 'expert.group.reassemble', 'malformed': 'expert.group.malformed', 'debug': 'expert.group.debug', 'protocol': 'expert.group.protocol', 'security': 'expert.group.security', 'comment': 'expert.group.comment', 'decryption': 'expert.group.decryption', 'assumption': 'expert.group.assumption', 'deprecated': 'expert.group.deprecated', 'receive': 'expert.group.receive', 'interface': 'expert.group.interface' };

/** Items rendered per severity group at first (a capture can have thousands of distinct messages), and per "more" click. */
const PAGE = 200;
const MORE = 1000;

const itemId = (sev: ExpertSeverity, k: number): string => `${sev}:${k}`;

/** Shows exactly the item's packets in the list, then selects the first one. */
async function showPackets(item: WireExpertItem): Promise<void> {
  useStore.getState().set({ filterText: item.filter, filterCheck: { ok: true } });
  if (await applyFilter(item.filter)) {
    const first = item.packets[0];
    if (first !== undefined) await selectPacket(first, item);
  }
}

/** Selects packet `n` in the list; when the current filter hides it, shows the item's packets first. */
async function selectPacket(n: number, item: WireExpertItem): Promise<void> {
  let i = await goToPacket(n);
  if (i === null) {
    useStore.getState().set({ error: null, filterText: item.filter, filterCheck: { ok: true } });
    if (!(await applyFilter(item.filter))) return;
    i = await goToPacket(n);
  }
  if (i !== null) ensureRows(i, i);
}

function ItemRow({ item, id, open, pos, onToggle, onStep, onShow }: {
  item: WireExpertItem;
  id: string;
  open: boolean;
  pos: number;
  onToggle: () => void;
  onStep: (to: number) => void;
  onShow: () => void;
}): ReactElement {
  const t = useT();
  const n = item.packets.length;
  const explainId = `expert-explain-${id.replace(':', '-')}`;
  return (
    <>
      <tr className={`expert-item${open ? ' open' : ''}`} data-kind={item.kind} data-count={item.count} data-filter={item.filter}>
        <td className="expert-toggle">
          <button type="button" aria-expanded={open} aria-controls={explainId} title={open ? t('expert.hideExplain') : t('expert.explain')} aria-label={open ? t('expert.hideExplain') : t('expert.explain')} onClick={onToggle}>
            {open ? '▾' : '▸'}
          </button>
        </td>
        <td className="expert-count">{item.count}</td>
        <td className="expert-group">
          {item.pktscope ? (
            <span className="expert-badge" title={t('expert.pktscopeHint')}>
              {t('expert.pktscope')}
            </span>
          ) : GROUP_KEYS[item.group.toLowerCase()] ? (
            t(GROUP_KEYS[item.group.toLowerCase()]!)
          ) : (
            item.group
          )}
        </td>
        <td className="expert-protocol">{item.protocol}</td>
        <td className="expert-summary">
          <button type="button" className="expert-link" title={t('expert.showHint', { filter: item.filter.length > 120 ? item.filter.slice(0, 117) + '…' : item.filter })} onClick={onShow}>
            {item.summary}
          </button>
        </td>
        <td className="expert-nav">
          <button type="button" aria-label={t('expert.prev')} title={t('expert.prev')} disabled={n === 0} onClick={() => onStep(pos <= 0 ? n - 1 : pos - 1)}>
            ◀
          </button>
          <span className="expert-pos" title={n < item.packetCount ? t('expert.capped', { n }) : undefined}>
            {pos >= 0 ? t('expert.position', { i: pos + 1, n: item.packetCount }) : item.packetCount}
          </span>
          <button type="button" aria-label={t('expert.next')} title={t('expert.next')} disabled={n === 0} onClick={() => onStep(pos < 0 || pos >= n - 1 ? 0 : pos + 1)}>
            ▶
          </button>
          <button type="button" className="expert-show" onClick={onShow}>
            {t('expert.show')}
          </button>
        </td>
      </tr>
      {open && (
        <tr className="expert-explain-row">
          <td />
          <td colSpan={5} id={explainId} className="expert-explain">
            {t(explanationKey(item.kind, item.severity))}
          </td>
        </tr>
      )}
    </>
  );
}

export function ExpertView(): ReactElement {
  const t = useT();
  const files = useStore((s) => s.files);
  const [data, setData] = useState<WireExpert | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [loading, setLoading] = useState(false);
  const [collapsed, setCollapsed] = useState<Record<string, boolean>>({});
  const [openItems, setOpenItems] = useState<Record<string, boolean>>({});
  const [positions, setPositions] = useState<Record<string, number>>({});
  const [limits, setLimits] = useState<Record<string, number>>({});
  const [version, setVersion] = useState(0);
  const key = files.join('\n');

  useEffect(() => {
    if (!key) {
      setData(null);
      return;
    }
    let live = true;
    setLoading(true);
    setError(null);
    setPositions({});
    request('expertSummary', null).then(
      (d) => {
        if (!live) return;
        setData(d);
        setLoading(false);
      },
      (e: Error) => {
        if (!live) return;
        setError(e.message);
        setLoading(false);
      },
    );
    return () => {
      live = false;
    };
  }, [key, version]);

  const step = useCallback((id: string, item: WireExpertItem, to: number) => {
    setPositions((p) => ({ ...p, [id]: to }));
    const n = item.packets[to];
    if (n !== undefined) void selectPacket(n, item);
  }, []);

  if (!key) return <div className="expert-view empty">{t('expert.noCapture')}</div>;
  if (error) return <div className="expert-view empty" role="alert">{t('expert.failed', { message: error })}</div>;
  if (!data) return <div className="expert-view empty" aria-busy="true">{t('expert.loading')}</div>;
  const items = data.groups.reduce((n, g) => n + g.items.length, 0);

  return (
    <div className="expert-view" aria-busy={loading}>
      <div className="expert-head">
        <span>{t('expert.totals', { items, packets: data.packets })}</span>
        {loading && <span className="expert-loading">{t('expert.loading')}</span>}
        <button type="button" onClick={() => setVersion((v) => v + 1)}>
          {t('expert.refresh')}
        </button>
      </div>
      {data.groups.length === 0 && <div className="empty">{t('expert.empty')}</div>}
      {data.groups.map((g) => {
        const shut = collapsed[g.severity] === true;
        return (
          <section key={g.severity} className={`expert-group-block sev-${g.severity}`} data-severity={g.severity}>
            <h3>
              <button type="button" className="expert-sev" aria-expanded={!shut} onClick={() => setCollapsed((c) => ({ ...c, [g.severity]: !shut }))}>
                <span className="expert-caret">{shut ? '▸' : '▾'}</span>
                <span className="expert-sev-name">{t(SEVERITY_KEYS[g.severity])}</span>
                <span className="expert-sev-count">{g.count}</span>
              </button>
            </h3>
            {!shut && (
              <table className="expert-table">
                <thead>
                  <tr>
                    <th aria-hidden="true" />
                    <th>{t('expert.col.count')}</th>
                    <th>{t('expert.col.group')}</th>
                    <th>{t('expert.col.protocol')}</th>
                    <th>{t('expert.col.summary')}</th>
                    <th>{t('expert.col.packets')}</th>
                  </tr>
                </thead>
                <tbody>
                  {g.items.slice(0, limits[g.severity] ?? PAGE).map((item, k) => {
                    const id = itemId(g.severity, k);
                    return (
                      <ItemRow
                        key={id}
                        id={id}
                        item={item}
                        open={openItems[id] === true}
                        pos={positions[id] ?? -1}
                        onToggle={() => setOpenItems((o) => ({ ...o, [id]: !o[id] }))}
                        onStep={(to) => step(id, item, to)}
                        onShow={() => {
                          setPositions((p) => ({ ...p, [id]: 0 }));
                          void showPackets(item);
                        }}
                      />
                    );
                  })}
                </tbody>
              </table>
            )}
            {!shut && g.items.length > (limits[g.severity] ?? PAGE) && (
              <button type="button" className="expert-more" onClick={() => setLimits((l) => ({ ...l, [g.severity]: (l[g.severity] ?? PAGE) + MORE }))}>
                {t('expert.more', { n: Math.min(MORE, g.items.length - (limits[g.severity] ?? PAGE)), total: g.items.length })}
              </button>
            )}
          </section>
        );
      })}
    </div>
  );
}
