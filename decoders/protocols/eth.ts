// Ethernet II and IEEE 802.3 framing. Ethernet II hands its payload to the `ethertype`
// table (through the `ethertype` dispatcher, as Wireshark does); 802.3 frames carry a length
// and an LLC header. Bytes the payload does not claim become padding or trailer.

import { field, protocol } from '../core/registry.ts';
import { formatEther } from '../core/format.ts';
import type { Cursor } from '../core/cursor.ts';
import type { Tree } from '../core/tree.ts';
import { LinkType } from '../core/types.ts';
import { ethertypeNames } from './ethertype-names.ts';
import { addTrailer, dispatchEthertype } from './ethertype.ts';

const f = {
  dst: field('eth.dst', 'Destination', 'ether'),
  dstLg: field('eth.dst.lg', 'LG bit', 'bool', { bitmask: 0x02, bitWidth: 24, trueFalse: ['Locally administered address (this is NOT the factory default)', 'Globally unique address (factory default)'] }),
  dstIg: field('eth.dst.ig', 'IG bit', 'bool', { bitmask: 0x01, bitWidth: 24, trueFalse: ['Group address (multicast/broadcast)', 'Individual address (unicast)'] }),
  src: field('eth.src', 'Source', 'ether'),
  srcLg: field('eth.src.lg', 'LG bit', 'bool', { bitmask: 0x02, bitWidth: 24, trueFalse: ['Locally administered address (this is NOT the factory default)', 'Globally unique address (factory default)'] }),
  srcIg: field('eth.src.ig', 'IG bit', 'bool', { bitmask: 0x01, bitWidth: 24, trueFalse: ['Group address (multicast/broadcast)', 'Individual address (unicast)'] }),
  addr: field('eth.addr', 'Address', 'ether'),
  type: field('eth.type', 'Type', 'uint16', { base: 'hex', values: ethertypeNames }),
  len: field('eth.len', 'Length', 'uint16'),
  padding: field('eth.padding', 'Padding', 'bytes'),
  trailer: field('eth.trailer', 'Trailer', 'bytes'),
};

function address(tree: Tree, c: Cursor, o: number, main: typeof f.dst, lg: typeof f.dstLg, ig: typeof f.dstIg, label: string): void {
  if (!tree.ctx.buildTree) {
    // Summary only: the expert item is all that is left of the address items (bytes already read).
    if (label === 'Source' && c.u8(o) & 1) tree.expert('warn', 'protocol', 'Source MAC must not be a group address: IEEE 802.3-2002, Section 3.2.3(b)');
    return;
  }
  const mac = c.bytes(o, 6);
  const sub = tree.addTree(main, c, o, 6, { label: () => `${label}: ${formatEther(mac)}` });
  // As Wireshark (IEEE 802.3 3.2.3(b)): a source address never has the group bit.
  if (label === 'Source' && mac[0]! & 1) sub.expert('warn', 'protocol', 'Source MAC must not be a group address: IEEE 802.3-2002, Section 3.2.3(b)');
  sub.add(lg, c, o, 3, { value: (mac[0]! & 2) !== 0 });
  sub.add(ig, c, o, 3, { value: (mac[0]! & 1) !== 0 });
  tree.hidden(f.addr, c, o, 6);
}

export default protocol({
  abbrev: 'eth',
  name: 'Ethernet II',
  short: 'Ethernet',
  fields: f,
  register(r) {
    r.table('link', LinkType.ETHERNET);
    // Transparent Ethernet bridging: GRE (and others) carry whole frames.
    r.table('ethertype', 0x6558);
  },
  dissect(c, ctx, tree) {
    const o = c.start;
    // Fields go in as they are read, so a frame cut short keeps what it has.
    const dst = c.bytes(o, 6);
    ctx.dlDst = { kind: 'ether', bytes: dst };
    ctx.columns.destination = formatEther(dst);
    address(tree, c, o, f.dst, f.dstLg, f.dstIg, 'Destination');
    const src = c.bytes(o + 6, 6);
    ctx.dlSrc = { kind: 'ether', bytes: src };
    ctx.columns.source = formatEther(src);
    address(tree, c, o + 6, f.src, f.srcLg, f.srcIg, 'Source');
    const typeOrLen = c.u16(o + 12);
    if (tree.owner && ctx.buildTree) tree.owner.label = `${typeOrLen >= 1536 ? 'Ethernet II' : 'IEEE 802.3 Ethernet'}, Src: ${formatEther(src)}, Dst: ${formatEther(dst)}`;
    if (typeOrLen >= 1536) {
      tree.add(f.type, c, o + 12, 2);
      return dispatchEthertype(typeOrLen, c, o + 14, ctx, tree, f);
    }
    // IEEE 802.3: a length, then LLC.
    tree.add(f.len, c, o + 12, 2);
    // As Wireshark's dissect_802_3: a length past the end of the packet is an error.
    if (typeOrLen > c.reportedRemaining(o + 14)) tree.expert('error', 'malformed', 'Length field value goes past the end of the payload', c, o + 12, 2);
    const payload = c.sub(o + 14, typeOrLen);
    let used = ctx.callProtocol('llc', payload, tree);
    if (used < 0) used = 0;
    const rest = payload.start + Math.max(used, payload.end - payload.start);
    if (rest < c.end) addTrailer(c, rest, tree, f);
    return c.end - c.start;
  },
});
