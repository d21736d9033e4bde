// Domain Name System over UDP and TCP (port 53; TCP 5353 too, as Wireshark registers it),
// plus Wireshark's UDP heuristic for DNS on other ports. The message dissector lives in
// dns-core.ts and is shared with mDNS and LLMNR.

import { protocol } from '../core/registry.ts';
import type { Cursor } from '../core/cursor.ts';
import { dnsFields } from './dns-fields.ts';
import { dissectDnsMessage, dissectDnsTcp, overTcp } from './dns-core.ts';

/**
 * Wireshark's dissect_dns_heur: a standard query or response whose counts look like DNS
 * (queries: exactly one question and nothing else but a few additional records).
 */
export function looksLikeDns(c: Cursor): boolean {
  const o = c.start;
  if (c.reportedRemaining(o) <= 12 || !c.has(o, 12)) return false;
  const flags = c.u16(o + 2);
  const quest = c.u16(o + 4);
  const ans = c.u16(o + 6);
  const auth = c.u16(o + 8);
  const add = c.u16(o + 10);
  if (flags & 0x7800) return false;
  if (flags & 0x8000) {
    if (quest > 1 || ans > 100 || auth > 10 || add > 10) return false;
  } else if (quest !== 1 || ans !== 0 || auth !== 0 || add > 10) return false;
  return quest + ans > 0;
}

const dns = protocol({
  abbrev: 'dns',
  name: 'Domain Name System',
  short: 'DNS',
  fields: dnsFields,
  register(r) {
    r.table('udp.port', 53);
    r.table('tcp.port', 53);
    r.table('tcp.port', 5353);
    r.heuristic('udp', (c) => looksLikeDns(c));
  },
  dissect(c, ctx, tree) {
    if (overTcp(ctx)) return dissectDnsTcp(c, ctx, tree, 'dns', ctx.registry.protocol('dns'));
    dissectDnsMessage(c, ctx, tree, 'dns', c.start);
    return c.remaining(c.start);
  },
});

export default dns;
