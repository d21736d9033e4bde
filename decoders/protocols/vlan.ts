// IEEE 802.1Q VLAN tags (0x8100, and 0x9100 as Wireshark's default Q-in-Q type). A tag is
// priority, DEI and VLAN ID, then either an Ethernet type (handed to the `ethertype`
// dispatcher again) or an 802.3 length followed by LLC. Bytes the payload leaves become
// `vlan.trailer`.

import { field, protocol } from '../core/registry.ts';
import { ethertypeNames } from './ethertype-names.ts';
import { addTrailer, dispatchEthertype } from './ethertype.ts';

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

const trailerFields = { padding: f.trailer, trailer: f.trailer };

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
      return dispatchEthertype(typeOrLen, c, o + 4, ctx, tree, trailerFields);
    }
    // 802.3 inside the tag: a length, then LLC (or raw IPX when it starts with 0xFFFF).
    const lenNode = tree.add(f.len, c, o + 2, 2);
    let len = typeOrLen;
    const avail = c.reportedRemaining(o + 4);
    if (len > avail) {
      len = avail;
      tree.expert('warn', 'malformed', 'Length field value goes past the end of the payload', c, lenNode.offset, 2);
    }
    const payload = c.sub(o + 4, len);
    const raw = c.has(o + 4, 2) && c.u16(o + 4) === 0xffff;
    ctx.callProtocol(raw ? 'ipx' : 'llc', payload, tree);
    const rest = o + 4 + len;
    if (rest < c.end) addTrailer(c, rest, tree, trailerFields);
    return c.end - c.start;
  },
});
