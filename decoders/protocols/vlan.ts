// IEEE 802.1Q VLAN tags (0x8100, and 0x9100 as Wireshark's default Q-in-Q type). A tag is
// priority, DEI and VLAN ID, then either an Ethernet type (handed to the `ethertype`
// dispatcher again) or an 802.3 length followed by LLC. Bytes the payload leaves become
// `vlan.trailer`.

import { field, protocol } from '../core/registry.ts';
import { ethertypeNames } from './ethertype-names.ts';
import type { Cursor } from '../core/cursor.ts';
import type { PacketContext } from '../core/context.ts';
import type { Tree } from '../core/tree.ts';

const priorityNames: Record<number, string> = {
  0: 'Best Effort (default)',
  1: 'Background',
  2: 'Excellent Effort',
  3: 'Critical Applications',
  4: 'Video, < 100ms latency and jitter',
  5: 'Voice, < 10ms latency and jitter',
  6: 'Internetwork Control',
  7: 'Network Control',
};

const f = {
  priority: field('vlan.priority', 'Priority', 'uint16', { bitmask: 0xe000, bitWidth: 16, values: priorityNames }),
  cfi: field('vlan.cfi', 'CFI', 'bool', { bitmask: 0x1000, bitWidth: 16 }),
  dei: field('vlan.dei', 'DEI', 'bool', { bitmask: 0x1000, bitWidth: 16, trueFalse: ['Eligible', 'Ineligible'] }),
  id: field('vlan.id', 'ID', 'uint16', { bitmask: 0x0fff, bitWidth: 16 }),
  idName: field('vlan.id_name', 'Name', 'string'),
  etype: field('vlan.etype', 'Type', 'uint16', { base: 'hex', values: ethertypeNames }),
  len: field('vlan.len', 'Length', 'uint16'),
  trailer: field('vlan.trailer', 'Trailer', 'bytes'),
};

/** Ethernet's minimum frame length without FCS: zero bytes before it are padding. */
const MIN_FRAME = 60;

/**
 * Bytes after the payload, as Wireshark splits them: in a frame of at least 60 bytes the
 * leftover bytes below offset 60 are `eth.padding` when all zero; the rest is `vlan.trailer`.
 */
function trailer(c: Cursor, from: number, ctx: PacketContext, tree: Tree): void {
  if (from >= c.end) return;
  let t = from;
  const padding = ctx.registry.field('eth.padding');
  if (padding && c.source === 0 && ctx.frame.origlen >= MIN_FRAME && from < MIN_FRAME) {
    const padEnd = Math.min(MIN_FRAME, c.end);
    if (c.bytes(from, padEnd - from).every((b) => b === 0)) {
      tree.add(padding, c, from, padEnd - from);
      t = padEnd;
    }
  }
  if (t < c.end) tree.add(f.trailer, c, t, c.end - t);
}

export default protocol({
  abbrev: 'vlan',
  name: '802.1Q Virtual LAN',
  short: 'VLAN',
  fields: f,
  register(r) {
    r.table('ethertype', 0x8100);
    r.table('ethertype', 0x9100);
  },
  dissect(c, ctx, tree) {
    const o = c.start;
    const tci = c.u16(o);
    const pri = tci >> 13;
    const dei = (tci >> 12) & 1;
    const id = tci & 0x0fff;
    if (tree.owner) tree.owner.label = `802.1Q Virtual LAN, PRI: ${pri}, DEI: ${dei}, ID: ${id}`;
    ctx.setInfo(`PRI: ${pri}  DEI: ${dei}  ID: ${id}`);
    tree.add(f.priority, c, o, 2);
    tree.add(f.dei, c, o, 2);
    tree.add(f.id, c, o, 2);
    const typeOrLen = c.u16(o + 2);
    if (typeOrLen > 1500) {
      tree.add(f.etype, c, o + 2, 2);
      // The `ethertype` dispatcher step, then our own trailer rule.
      ctx.protocols.push('ethertype');
      const payload = c.sub(o + 4);
      let used = ctx.call('ethertype', typeOrLen, payload, tree);
      if (used < 0) used = ctx.callData(payload, tree);
      trailer(c, o + 4 + used, ctx, tree);
      return c.end - c.start;
    }
    // 802.3 inside the tag: a length, then LLC (or raw IPX when it starts with 0xFFFF).
    const lenNode = tree.add(f.len, c, o + 2, 2);
    let len = typeOrLen;
    const avail = c.reportedRemaining(o + 4);
    if (len > avail) {
      len = avail;
      tree.expert('error', 'malformed', 'Length field value goes past the end of the payload', c, lenNode.offset, 2);
    }
    const payload = c.sub(o + 4, len);
    const raw = c.has(o + 4, 2) && c.u16(o + 4) === 0xffff;
    ctx.callProtocol(raw ? 'ipx' : 'llc', payload, tree);
    const rest = o + 4 + len;
    trailer(c, rest, ctx, tree);
    return c.end - c.start;
  },
});
