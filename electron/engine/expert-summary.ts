// Expert information summary (tshark -z expert): items grouped by severity, then by group,
// protocol and message, with how often each occurred, in order of first occurrence.

import type { Dissection, Severity } from '../../decoders/core/types.ts';
import type { Registry } from '../../decoders/core/registry.ts';

interface Row {
  group: string;
  protocol: string;
  summary: string;
  count: number;
}

const order: [Severity, string][] = [
  ['error', 'Errors'],
  ['warn', 'Warns'],
  ['note', 'Notes'],
  ['chat', 'Chats'],
];

export class ExpertSummary {
  readonly rows = new Map<Severity, Map<string, Row>>();

  constructor(private readonly registry: Registry) {}

  add(d: Dissection): void {
    for (const e of d.experts) {
      let bySev = this.rows.get(e.severity);
      if (!bySev) this.rows.set(e.severity, (bySev = new Map()));
      const protocol = this.registry.protocol(e.protocol)?.short || e.protocol.toUpperCase();
      const group = e.group[0]!.toUpperCase() + e.group.slice(1);
      const key = `${group}\u0000${protocol}\u0000${e.message}`;
      const row = bySev.get(key);
      if (row) row.count++;
      else bySev.set(key, { group, protocol, summary: e.message, count: 1 });
    }
  }
}

export function formatExpertSummary(s: ExpertSummary): string {
  let out = '';
  for (const [sev, title] of order) {
    const rows = s.rows.get(sev);
    if (!rows || rows.size === 0) continue;
    let total = 0;
    for (const r of rows.values()) total += r.count;
    out += `\n${title} (${total})\n=============\n   Frequency      Group           Protocol  Summary\n`;
    for (const r of rows.values()) out += `${String(r.count).padStart(12)} ${r.group.padStart(10)} ${r.protocol.padStart(18)}  ${r.summary}\n`;
  }
  return out;
}
