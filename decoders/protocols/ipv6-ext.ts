// IPv6 extension headers as Wireshark 4.0 shows them: each is a protocol of its own inside the
// IPv6 node (frame.protocols `ipv6:ipv6.hopopts:icmpv6`). IPv6 walks the header chain and calls
// them by name; each leaves its Next Header (and, for fragments, offset/flag/id) in
// ctx.scratch under EXT_RESULT for IPv6 to continue with.

import { field, protocol } from '../core/registry.ts';
import { bitPicture, formatBytesHex, formatIPv6, hex2 } from '../core/format.ts';
import type { Cursor } from '../core/cursor.ts';
import type { PacketContext } from '../core/context.ts';
import type { Tree } from '../core/tree.ts';
import { NodeFlags } from '../core/types.ts';
import { EXT_RESULT, type ExtResult } from './ip-shared.ts';
import { ipProtoNames, ipv6OptTypeNames, ipv6RoutingTypeNames } from './ip-names.ts';

const optActionNames = { 0: 'Skip and continue', 1: 'Discard', 2: 'Discard and send ICMP Parameter Problem', 3: 'Discard and send ICMP if not multicast' };

/** The option fields live in the `ipv6` namespace; they are registered with the hop-by-hop module. */
const opt = {
  opt: field('ipv6.opt', 'IPv6 Option', 'none'),
  type: field('ipv6.opt.type', 'Type', 'uint8', { base: 'hex', values: ipv6OptTypeNames }),
  action: field('ipv6.opt.type.action', 'Action', 'uint8', { bitmask: 0xc0, bitWidth: 8, values: optActionNames }),
  change: field('ipv6.opt.type.change', 'May Change', 'bool', { bitmask: 0x20, bitWidth: 8, trueFalse: ['Yes', 'No'] }),
  rest: field('ipv6.opt.type.rest', 'Low-Order Bits', 'uint8', { base: 'hex', bitmask: 0x1f, bitWidth: 8 }),
  length: field('ipv6.opt.length', 'Length', 'uint8'),
  pad1: field('ipv6.opt.pad1', 'Pad1', 'none'),
  padn: field('ipv6.opt.padn', 'PadN', 'bytes'),
  routerAlert: field('ipv6.opt.router_alert', 'Router Alert', 'uint16', { values: { 0: 'MLD', 1: 'RSVP', 2: 'Active Network' } }),
  tel: field('ipv6.opt.tel', 'Tunnel Encapsulation Limit', 'uint8'),
  jumbo: field('ipv6.opt.jumbo', 'Payload Length', 'uint32'),
  homeAddress: field('ipv6.opt.mipv6.home_address', 'MIPv6 Home Address', 'ipv6'),
  unknown: field('ipv6.opt.unknown', 'Unknown Option Payload', 'bytes'),
};

const hop = {
  nxt: field('ipv6.hopopts.nxt', 'Next Header', 'uint8', { values: ipProtoNames }),
  len: field('ipv6.hopopts.len', 'Length', 'uint8'),
  lenOct: field('ipv6.hopopts.len_oct', 'Length', 'uint16'),
};
const dsto = {
  nxt: field('ipv6.dstopts.nxt', 'Next Header', 'uint8', { values: ipProtoNames }),
  len: field('ipv6.dstopts.len', 'Length', 'uint8'),
  lenOct: field('ipv6.dstopts.len_oct', 'Length', 'uint16'),
};
const rt = {
  nxt: field('ipv6.routing.nxt', 'Next Header', 'uint8', { values: ipProtoNames }),
  len: field('ipv6.routing.len', 'Length', 'uint8'),
  lenOct: field('ipv6.routing.len_oct', 'Length', 'uint16'),
  type: field('ipv6.routing.type', 'Type', 'uint8', { values: ipv6RoutingTypeNames }),
  segleft: field('ipv6.routing.segleft', 'Segments Left', 'uint8'),
  unknownData: field('ipv6.routing.unknown_data', 'Type-Specific Data', 'bytes'),
  srcReserved: field('ipv6.routing.src.reserved', 'Reserved', 'bytes'),
  srcAddr: field('ipv6.routing.src.addr', 'Address', 'ipv6'),
  mipv6Reserved: field('ipv6.routing.mipv6.reserved', 'Reserved', 'bytes'),
  mipv6HomeAddress: field('ipv6.routing.mipv6.home_address', 'Home Address', 'ipv6'),
};
const frag = {
  nxt: field('ipv6.fraghdr.nxt', 'Next header', 'uint8', { values: ipProtoNames }),
  reservedOctet: field('ipv6.fraghdr.reserved_octet', 'Reserved octet', 'uint8', { base: 'hex' }),
  offset: field('ipv6.fraghdr.offset', 'Offset', 'uint16', { bitmask: 0xfff8, bitWidth: 16 }),
  reservedBits: field('ipv6.fraghdr.reserved_bits', 'Reserved bits', 'uint16', { bitmask: 0x0006, bitWidth: 16 }),
  more: field('ipv6.fraghdr.more', 'More Fragments', 'bool', { bitmask: 0x0001, bitWidth: 16, trueFalse: ['Yes', 'No'] }),
  ident: field('ipv6.fraghdr.ident', 'Identification', 'uint32', { base: 'hex' }),
};

function result(ctx: PacketContext, r: ExtResult): void {
  ctx.scratch.set(EXT_RESULT, r);
}

const optNames: Readonly<Record<number, string>> = { ...ipv6OptTypeNames };

/** The TLV options of a hop-by-hop or destination options header. */
function options(c: Cursor, o: number, end: number, tree: Tree): void {
  let p = o;
  for (let guard = 0; p < end && guard < 256; guard++) {
    const type = c.u8(p);
    if (type === 0) {
      const t = tree.addTree(opt.opt, c, p, 1, { label: 'Pad1' });
      t.add(opt.type, c, p, 1, { label: 'Type: Pad1 (0x00)' });
      t.add(opt.pad1, c, p, 1, { label: 'Pad1' });
      p++;
      continue;
    }
    const len = c.u8(p + 1);
    const name = optNames[type];
    const t = tree.addTree(opt.opt, c, p, Math.min(len + 2, Math.max(0, c.end - p)), { label: name ?? `Unknown IPv6 Option (${type})` });
    typeItem(t, c, p);
    t.add(opt.length, c, p + 1, 1);
    const d = p + 2;
    switch (type) {
      case 1:
        t.add(opt.padn, c, d, len, { label: `PadN: ${len ? formatBytesHex(c.bytes(d, len)) : '<none>'}` });
        break;
      case 4:
        if (len === 1) t.add(opt.tel, c, d, 1);
        break;
      case 5:
        if (len === 2) t.add(opt.routerAlert, c, d, 2);
        break;
      case 194:
        if (len === 4) t.add(opt.jumbo, c, d, 4);
        break;
      case 201:
        if (len === 16) t.add(opt.homeAddress, c, d, 16);
        break;
      default:
        if (len) t.add(opt.unknown, c, d, len);
        if (!name) t.expert('note', 'undecoded', 'Unknown Data (not interpreted)');
    }
    p = d + len;
  }
}

function typeItem(t: Tree, c: Cursor, p: number): void {
  const type = c.u8(p);
  const tt = t.addTree(opt.type, c, p, 1, { label: `Type: ${optNames[type] ?? 'Unknown'} (0x${hex2(type)})` });
  tt.add(opt.action, c, p, 1);
  tt.add(opt.change, c, p, 1);
  tt.add(opt.rest, c, p, 1);
}

function optionsHeader(c: Cursor, ctx: PacketContext, tree: Tree, fl: typeof hop): number {
  const o = c.start;
  const nxt = c.u8(o);
  tree.add(fl.nxt, c, o, 1);
  const len = c.u8(o + 1);
  const total = (len + 1) * 8;
  tree.add(fl.len, c, o + 1, 1);
  tree.add(fl.lenOct, c, o + 1, 1, { value: total, label: `[Length: ${total} bytes]`, flags: NodeFlags.Generated });
  options(c, o + 2, o + total, tree);
  result(ctx, { nxt });
  return total;
}

export const hopopts = protocol({
  abbrev: 'ipv6.hopopts',
  name: 'IPv6 Hop-by-Hop Option',
  short: '',
  fields: { ...hop, ...opt },
  dissect: (c, ctx, tree) => optionsHeader(c, ctx, tree, hop),
});

export const dstopts = protocol({
  abbrev: 'ipv6.dstopts',
  name: 'Destination Options for IPv6',
  short: '',
  fields: dsto,
  dissect: (c, ctx, tree) => optionsHeader(c, ctx, tree, dsto),
});

export const routing = protocol({
  abbrev: 'ipv6.routing',
  name: 'Routing Header for IPv6',
  short: '',
  fields: rt,
  dissect(c, ctx, tree) {
    const o = c.start;
    const nxt = c.u8(o);
    tree.add(rt.nxt, c, o, 1);
    const len = c.u8(o + 1);
    const total = (len + 1) * 8;
    tree.add(rt.len, c, o + 1, 1);
    tree.add(rt.lenOct, c, o + 1, 1, { value: total, label: `[Length: ${total} bytes]`, flags: NodeFlags.Generated });
    const type = c.u8(o + 2);
    const typeNode = tree.addTree(rt.type, c, o + 2, 1);
    if (type === 0) typeNode.expert('note', 'deprecated', 'Routing header type is deprecated');
    if (tree.owner) tree.owner.label = `Routing Header for IPv6 (${ipv6RoutingTypeNames[type] ?? 'Unknown'})`;
    const segleft = c.u8(o + 3);
    tree.add(rt.segleft, c, o + 3, 1);
    result(ctx, { nxt });
    if (type === 0) {
      tree.add(rt.srcReserved, c, o + 4, 4);
      let last: Uint8Array | null = null;
      for (let a = o + 8, i = 1; a + 16 <= o + total; a += 16, i++) {
        last = c.bytes(a, 16);
        tree.add(rt.srcAddr, c, a, 16, { label: `Address[${i}]: ${formatIPv6(last)}` });
      }
      if (last && segleft > 0) finalDestination(ctx, last);
    } else if (type === 2 && total >= 24) {
      tree.add(rt.mipv6Reserved, c, o + 4, 4);
      const home = c.bytes(o + 8, 16);
      tree.add(rt.mipv6HomeAddress, c, o + 8, 16);
      if (segleft > 0) finalDestination(ctx, home);
    } else if (total > 4) {
      tree.add(rt.unknownData, c, o + 4, total - 4);
    }
    return total;
  },
});

/** A routing header with segments left names the packet's final destination (the Destination column). */
function finalDestination(ctx: PacketContext, addr: Uint8Array): void {
  ctx.netDst = { kind: 'ipv6', bytes: addr };
  ctx.columns.destination = formatIPv6(addr);
}

export const fraghdr = protocol({
  abbrev: 'ipv6.fraghdr',
  name: 'Fragment Header for IPv6',
  short: '',
  fields: frag,
  dissect(c, ctx, tree) {
    const o = c.start;
    const nxt = c.u8(o);
    tree.add(frag.nxt, c, o, 1);
    tree.add(frag.reservedOctet, c, o + 1, 1);
    const w = c.u16(o + 2);
    tree.add(frag.offset, c, o + 2, 2, { label: `${bitPicture(0xfff8, 16, w & 0xfff8)} = Offset: ${w >> 3} (${(w >> 3) * 8} bytes)` });
    tree.add(frag.reservedBits, c, o + 2, 2);
    tree.add(frag.more, c, o + 2, 2);
    const ident = c.u32(o + 4);
    tree.add(frag.ident, c, o + 4, 4);
    result(ctx, { nxt, fragOffset: (w >> 3) * 8, more: (w & 1) !== 0, ident });
    return 8;
  },
});
