// Decode As (Wireshark's Analyze > Decode As…): rows of "field, value, protocol", e.g. UDP port
// 8472 -> VXLAN, TCP port 5555 -> HTTP. Apply sends the rules to the engine, which saves them in
// the preferences and decodes the open capture with them (rows, tree, display filter).

import { useEffect, useState, type ReactElement } from 'react';
import type { DecodeAsRule, DecodeAsState } from '../../electron/ipc/contract.ts';
import { request } from '../api.ts';
import { refreshDecoding } from '../controller.ts';
import { useStore } from '../store.ts';
import { useT, type MessageKey } from '../i18n/index.ts';
import './decode-as.css';

interface EditRow {
  id: number;
  table: string;
  value: string;
  protocol: string;
}

const TABLE_TITLES: Record<string, MessageKey> = {
  'udp.port': 'decodeAs.table.udp.port',
  'tcp.port': 'decodeAs.table.tcp.port',
  'sctp.port': 'decodeAs.table.sctp.port',
  ethertype: 'decodeAs.table.ethertype',
  'ip.proto': 'decodeAs.table.ip.proto',
};

/** Largest value of a table's keys (ports and ethertypes 16 bits, IP protocols 8). */
const maxOf = (table: string) => (table === 'ip.proto' ? 255 : 0xffff);

/** Values as users write them: decimal, or 0x hex (ethertypes). */
function parseValue(s: string): number | null {
  const v = s.trim();
  if (!/^(0x[0-9a-f]+|\d+)$/i.test(v)) return null;
  return Number(v);
}

function showValue(r: DecodeAsRule): string {
  return r.table === 'ethertype' ? `0x${r.value.toString(16).padStart(4, '0')}` : String(r.value);
}

let nextId = 1;

export function DecodeAsView(): ReactElement {
  const t = useT();
  const [state, setState] = useState<DecodeAsState | null>(null);
  const [rows, setRows] = useState<EditRow[]>([]);
  const [dirty, setDirty] = useState(false);
  const [message, setMessage] = useState<{ error: boolean; text: string } | null>(null);

  const load = (s: DecodeAsState) => {
    setState(s);
    setRows(s.rules.map((r) => ({ id: nextId++, table: r.table, value: showValue(r), protocol: r.protocol })));
    setDirty(false);
  };

  useEffect(() => {
    request('getDecodeAs', null).then(load, (e: Error) => setMessage({ error: true, text: e.message }));
  }, []);

  if (!state) return <div className="decode-as">{message ? <p role="alert">{message.text}</p> : t('decodeAs.loading')}</div>;

  const protocolsOf = (table: string) => state.tables.find((x) => x.table === table)?.protocols ?? [];
  const edit = (id: number, change: Partial<EditRow>) => {
    setRows((rs) =>
      rs.map((r) => {
        if (r.id !== id) return r;
        const next = { ...r, ...change };
        // A new field keeps its protocol only when that field offers it.
        if (change.table && !protocolsOf(change.table).some((p) => p.abbrev === next.protocol)) next.protocol = protocolsOf(change.table)[0]?.abbrev ?? '';
        return next;
      }),
    );
    setDirty(true);
    setMessage(null);
  };
  const add = () => {
    const table = 'udp.port';
    const protos = protocolsOf(table);
    const protocol = protos.some((p) => p.abbrev === 'vxlan') ? 'vxlan' : (protos[0]?.abbrev ?? '');
    setRows((rs) => [...rs, { id: nextId++, table, value: '', protocol }]);
    setDirty(true);
    setMessage(null);
  };
  const apply = async () => {
    const rules: DecodeAsRule[] = [];
    for (const [k, r] of rows.entries()) {
      const v = parseValue(r.value);
      if (v === null || v > maxOf(r.table)) {
        setMessage({ error: true, text: t('decodeAs.badValue', { n: k + 1, max: maxOf(r.table) }) });
        return;
      }
      rules.push({ table: r.table, value: v, protocol: r.protocol });
    }
    try {
      const s = await request('setDecodeAs', { rules });
      load(s);
      setMessage({ error: false, text: t('decodeAs.applied', { n: s.rules.length }) });
      if (useStore.getState().files.length) await refreshDecoding();
    } catch (e) {
      setMessage({ error: true, text: (e as Error).message });
    }
  };

  return (
    <div className="decode-as">
      <p className="decode-as-intro">{t('decodeAs.intro')}</p>
      {rows.length === 0 ? (
        <p className="decode-as-empty">{t('decodeAs.empty')}</p>
      ) : (
        <table aria-label={t('decodeAs.rules')}>
          <thead>
            <tr>
              <th scope="col">{t('decodeAs.field')}</th>
              <th scope="col">{t('decodeAs.value')}</th>
              <th scope="col">{t('decodeAs.protocol')}</th>
              <th scope="col">
                <span className="visually-hidden">{t('decodeAs.remove')}</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r, k) => (
              <tr key={r.id} data-rule={k + 1}>
                <td>
                  <select aria-label={`${t('decodeAs.field')} ${k + 1}`} value={r.table} onChange={(e) => edit(r.id, { table: e.target.value })}>
                    {state.tables.map((x) => (
                      <option key={x.table} value={x.table}>
                        {TABLE_TITLES[x.table] ? `${t(TABLE_TITLES[x.table]!)} (${x.table})` : x.table}
                      </option>
                    ))}
                  </select>
                </td>
                <td>
                  <input
                    aria-label={`${t('decodeAs.value')} ${k + 1}`}
                    inputMode="numeric"
                    spellCheck={false}
                    value={r.value}
                    onChange={(e) => edit(r.id, { value: e.target.value })}
                    onKeyDown={(e) => e.key === 'Enter' && void apply()}
                  />
                </td>
                <td>
                  <select aria-label={`${t('decodeAs.protocol')} ${k + 1}`} value={r.protocol} onChange={(e) => edit(r.id, { protocol: e.target.value })}>
                    {protocolsOf(r.table).map((p) => (
                      <option key={p.abbrev} value={p.abbrev} title={p.name}>
                        {p.abbrev.toUpperCase()} — {p.name}
                      </option>
                    ))}
                  </select>
                </td>
                <td>
                  <button
                    type="button"
                    aria-label={t('decodeAs.removeRow', { n: k + 1 })}
                    title={t('decodeAs.remove')}
                    onClick={() => {
                      setRows((rs) => rs.filter((x) => x.id !== r.id));
                      setDirty(true);
                      setMessage(null);
                    }}
                  >
                    ×
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <div className="decode-as-actions">
        <button type="button" onClick={add}>
          {t('decodeAs.add')}
        </button>
        <button type="button" className="primary" onClick={() => void apply()} disabled={!dirty}>
          {t('decodeAs.apply')}
        </button>
        <span role="status" className={message?.error ? 'err' : 'ok'}>
          {message ? message.text : dirty ? t('decodeAs.unsaved') : ''}
        </span>
      </div>
    </div>
  );
}
