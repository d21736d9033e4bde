// Internet Protocol version 4 (RFC 791) as Wireshark 4.0 shows it: header fields, options,
// fragment reassembly (the frame completing a datagram decodes the reassembled payload from a
// "Reassembled IPv4" data source) and hand-off through the `ip.proto` table. The payload is
// limited to the Total Length, so Ethernet padding stays with the link layer.

import { field, protocol } from '../core/registry.ts';
import { bitPicture, formatIPv4, hex2 } from '../core/format.ts';
import { Cursor } from '../core/cursor.ts';
import type { PacketContext } from '../core/context.ts';
import type { Tree } from '../core/tree.ts';
import { addFragmentTree, FragmentTable } from '../streams/ip-reassembly.ts';
import { dsSummary, IN_ERROR_PACKET, addChecksum, inetChecksum } from './ip-shared.ts';
import { cipsoTagNames, dscpNames, ecnNames, ipOptClassNames, ipOptNumberNames, ipOptTsFlagNames, ipProtoNames } from './ip-names.ts';

const f = {
  version: field('ip.version', 'Version', 'uint8', { bitmask: 0xf0, bitWidth: 8 }),
  hdrLen: field('ip.hdr_len', 'Header Length', 'uint8'),
  dsfield: field('ip.dsfield', 'Differentiated Services Field', 'uint8', { base: 'hex' }),
  dscp: field('ip.dsfield.dscp', 'Differentiated Services Codepoint', 'uint8', { bitmask: 0xfc, bitWidth: 8, values: dscpNames }),
  ecn: field('ip.dsfield.ecn', 'Explicit Congestion Notification', 'uint8', { bitmask: 0x03, bitWidth: 8, values: ecnNames }),
  tos: field('ip.tos', 'Type of Service', 'uint8'),
  len: field('ip.len', 'Total Length', 'uint16'),
  id: field('ip.id', 'Identification', 'uint16', { base: 'hex_dec' }),
  dst: field('ip.dst', 'Destination Address', 'ipv4'),
  dstHost: field('ip.dst_host', 'Destination Host', 'string'),
  src: field('ip.src', 'Source Address', 'ipv4'),
  srcHost: field('ip.src_host', 'Source Host', 'string'),
  addr: field('ip.addr', 'Source or Destination Address', 'ipv4'),
  host: field('ip.host', 'Source or Destination Host', 'string'),
  flags: field('ip.flags', 'Flags', 'uint8', { base: 'hex', bitmask: 0xe0, bitWidth: 8 }),
  flagsSf: field('ip.flags.sf', 'Security flag', 'bool', { bitmask: 0x80, bitWidth: 8 }),
  flagsRb: field('ip.flags.rb', 'Reserved bit', 'bool', { bitmask: 0x80, bitWidth: 8 }),
  flagsDf: field('ip.flags.df', "Don't fragment", 'bool', { bitmask: 0x40, bitWidth: 8 }),
  flagsMf: field('ip.flags.mf', 'More fragments', 'bool', { bitmask: 0x20, bitWidth: 8 }),
  fragOffset: field('ip.frag_offset', 'Fragment Offset', 'uint16', { bitmask: 0x1fff, bitWidth: 16 }),
  ttl: field('ip.ttl', 'Time to Live', 'uint8'),
  proto: field('ip.proto', 'Protocol', 'uint8', { values: ipProtoNames }),
  checksum: field('ip.checksum', 'Header Checksum', 'uint16', { base: 'hex' }),
  checksumCalculated: field('ip.checksum_calculated', 'Calculated Checksum', 'uint16', { base: 'hex' }),
  checksumStatus: field('ip.checksum.status', 'Header checksum status', 'uint8', { values: { 0: 'Bad', 1: 'Good', 2: 'Unverified' } }),
  options: field('ip.options', 'Options', 'none'),
  optType: field('ip.opt.type', 'Type', 'uint8'),
  optTypeCopy: field('ip.opt.type.copy', 'Copy on fragmentation', 'bool', { bitmask: 0x80, bitWidth: 8, trueFalse: ['Yes', 'No'] }),
  optTypeClass: field('ip.opt.type.class', 'Class', 'uint8', { bitmask: 0x60, bitWidth: 8, values: ipOptClassNames }),
  optTypeNumber: field('ip.opt.type.number', 'Number', 'uint8', { bitmask: 0x1f, bitWidth: 8, values: ipOptNumberNames }),
  optLen: field('ip.opt.len', 'Length', 'uint8'),
  optPtr: field('ip.opt.ptr', 'Pointer', 'uint8'),
  optSid: field('ip.opt.sid', 'Stream Identifier', 'uint16'),
  optMtu: field('ip.opt.mtu', 'MTU', 'uint16'),
  optIdNumber: field('ip.opt.id_number', 'ID Number', 'uint16'),
  optOhc: field('ip.opt.ohc', 'Outbound Hop Count', 'uint16'),
  optRhc: field('ip.opt.rhc', 'Return Hop Count', 'uint16'),
  optOriginator: field('ip.opt.originator', 'Originator IP Address', 'ipv4'),
  optRa: field('ip.opt.ra', 'Router Alert', 'uint16', { values: { 0: 'Router shall examine packet' } }),
  optAddr: field('ip.opt.addr', 'IP Address', 'ipv4'),
  optPadding: field('ip.opt.padding', 'Padding', 'bytes'),
  optQsFunc: field('ip.opt.qs_func', 'Function', 'uint8', { bitmask: 0xf0, bitWidth: 8, values: { 0: 'Rate request', 8: 'Rate report' } }),
  optQsRate: field('ip.opt.qs_rate', 'Rate', 'uint8', { bitmask: 0x0f, bitWidth: 8 }),
  optQsTtl: field('ip.opt.qs_ttl', 'QS TTL', 'uint8'),
  optQsNonce: field('ip.opt.qs_nonce', 'QS Nonce', 'uint32', { base: 'hex', bitmask: 0xfffffffc, bitWidth: 32 }),
  optQsReserved: field('ip.opt.qs_reserved', 'Reserved', 'uint32', { base: 'hex', bitmask: 0x3, bitWidth: 32 }),
  optOverflow: field('ip.opt.overflow', 'Overflow', 'uint8', { bitmask: 0xf0, bitWidth: 8 }),
  optFlag: field('ip.opt.flag', 'Flag', 'uint8', { base: 'hex', bitmask: 0x0f, bitWidth: 8, values: ipOptTsFlagNames }),
  optTimeStamp: field('ip.opt.time_stamp', 'Time stamp', 'uint32'),
  optTimeStampAddr: field('ip.opt.time_stamp_addr', 'Address', 'ipv4'),
  recRt: field('ip.rec_rt', 'Recorded Route', 'ipv4'),
  recRtHost: field('ip.rec_rt_host', 'Recorded Route Host', 'string'),
  curRt: field('ip.cur_rt', 'Current Route', 'ipv4'),
  curRtHost: field('ip.cur_rt_host', 'Current Route Host', 'string'),
  srcRt: field('ip.src_rt', 'Source Route', 'ipv4'),
  srcRtHost: field('ip.src_rt_host', 'Source Route Host', 'string'),
  emptyRt: field('ip.empty_rt', 'Empty Route', 'ipv4'),
  emptyRtHost: field('ip.empty_rt_host', 'Empty Route Host', 'string'),
  cipsoTagType: field('ip.cipso.tag_type', 'Tag Type', 'uint8', { values: cipsoTagNames }),
  cipsoDoi: field('ip.cipso.doi', 'DOI', 'uint32'),
  cipsoSensitivity: field('ip.cipso.sensitivity_level', 'Sensitivity Level', 'uint8'),
  cipsoCategories: field('ip.cipso.categories', 'Categories', 'string'),
  cipsoTagData: field('ip.cipso.tag_data', 'Tag data', 'bytes'),
  // The option items (Wireshark registers them as name-only protocols).
  optEol: field('ip.options.eol', 'IP Option - End of Options List (EOL)', 'bytes'),
  optNop: field('ip.options.nop', 'IP Option - No-Operation (NOP)', 'bytes'),
  optSecurity: field('ip.options.security', 'IP Option - Security', 'bytes'),
  optRoute: field('ip.options.route', 'IP Option - Loose Source Route', 'bytes'),
  optTimestamp: field('ip.options.timestamp', 'IP Option - Time Stamp', 'bytes'),
  optExtSecurity: field('ip.options.ext_security', 'IP Option - Extended Security', 'bytes'),
  optCipso: field('ip.options.cipso', 'IP Option - Commercial Security', 'bytes'),
  optRecordRoute: field('ip.options.record_route', 'IP Option - Record Route', 'bytes'),
  optSidItem: field('ip.options.sid', 'IP Option - Stream ID', 'bytes'),
  optSourceRoute: field('ip.options.source_route', 'IP Option - Strict Source Route', 'bytes'),
  optMtuProbe: field('ip.options.mtu_probe', 'IP Option - MTU Probe', 'bytes'),
  optMtuReply: field('ip.options.mtu_reply', 'IP Option - MTU Reply', 'bytes'),
  optTraceroute: field('ip.options.traceroute', 'IP Option - Traceroute', 'bytes'),
  optRouterAlert: field('ip.options.routeralert', 'IP Option - Router Alert', 'bytes'),
  optSdb: field('ip.options.sdb', 'IP Option - Selective Directed Broadcast', 'bytes'),
  optQs: field('ip.options.qs', 'IP Option - Quick-Start', 'bytes'),
  optUnknown: field('ip.options.unknown', 'IP Option - Unknown', 'bytes'),
  // Reassembly.
  fragmentOverlap: field('ip.fragment.overlap', 'Fragment overlap', 'bool'),
  fragmentConflict: field('ip.fragment.overlap.conflict', 'Conflicting data in fragment overlap', 'bool'),
  fragmentMultipleTails: field('ip.fragment.multipletails', 'Multiple tail fragments found', 'bool'),
  fragmentTooLong: field('ip.fragment.toolongfragment', 'Fragment too long', 'bool'),
  fragmentError: field('ip.fragment.error', 'Defragmentation error', 'framenum'),
  fragmentCount: field('ip.fragment.count', 'Fragment count', 'uint32'),
  fragment: field('ip.fragment', 'IPv4 Fragment', 'framenum'),
  fragments: field('ip.fragments', 'IPv4 Fragments', 'bytes'),
  reassembledIn: field('ip.reassembled_in', 'Reassembled IPv4 in frame', 'framenum'),
  reassembledLength: field('ip.reassembled.length', 'Reassembled IPv4 length', 'uint32'),
  reassembledData: field('ip.reassembled.data', 'Reassembled IPv4 data', 'bytes'),
};

const fragFields = {
  fragments: f.fragments,
  fragment: f.fragment,
  error: f.fragmentError,
  overlap: f.fragmentOverlap,
  conflict: f.fragmentConflict,
  multipleTails: f.fragmentMultipleTails,
  tooLong: f.fragmentTooLong,
  count: f.fragmentCount,
  reassembledLength: f.reassembledLength,
  reassembledData: f.reassembledData,
};


interface OptionKind {
  readonly def: (typeof f)[keyof typeof f];
  readonly name: string;
}
const optionKinds: Readonly<Record<number, OptionKind>> = {
  0: { def: f.optEol, name: 'End of Options List (EOL)' },
  1: { def: f.optNop, name: 'No-Operation (NOP)' },
  130: { def: f.optSecurity, name: 'Security' },
  131: { def: f.optRoute, name: 'Loose Source Route' },
  68: { def: f.optTimestamp, name: 'Time Stamp' },
  133: { def: f.optExtSecurity, name: 'Extended Security' },
  134: { def: f.optCipso, name: 'Commercial Security' },
  7: { def: f.optRecordRoute, name: 'Record Route' },
  136: { def: f.optSidItem, name: 'Stream ID' },
  137: { def: f.optSourceRoute, name: 'Strict Source Route' },
  11: { def: f.optMtuProbe, name: 'MTU Probe' },
  12: { def: f.optMtuReply, name: 'MTU Reply' },
  82: { def: f.optTraceroute, name: 'Traceroute' },
  148: { def: f.optRouterAlert, name: 'Router Alert' },
  149: { def: f.optSdb, name: 'Selective Directed Broadcast' },
  25: { def: f.optQs, name: 'Quick-Start' },
};

function addrHidden(tree: Tree, c: Cursor, o: number, main: typeof f.src, host: typeof f.srcHost, withAddr: boolean): void {
  const v = c.u32(o);
  tree.add(main, c, o, 4);
  if (!tree.ctx.buildTree) return; // summary only: the hidden items (same bytes) would go nowhere
  if (withAddr) tree.hidden(f.addr, c, o, 4);
  tree.hidden(host, c, o, 4, { value: formatIPv4(v) });
  if (withAddr) tree.hidden(f.host, c, o, 4, { value: formatIPv4(v) });
}

/**
 * Offset of the final destination inside a loose/strict source route option that still has
 * hops to go (RFC 791: the header's destination is then only the next hop), or -1.
 */
function sourceRouteDestination(c: Cursor, from: number, end: number): number {
  let o = from;
  for (let guard = 0; o < end && guard < 40; guard++) {
    const t = c.u8(o);
    if (t === 0) break;
    if (t === 1) {
      o++;
      continue;
    }
    if (o + 1 >= end) break;
    const len = c.u8(o + 1);
    if (len < 2 || o + len > end) break;
    if (t === 131 || t === 137) {
      if (len < 7) return -1;
      const ptr = c.u8(o + 2);
      if (ptr < 4 || ptr % 4 !== 0 || ptr > len) return -1;
      return o + len - 4;
    }
    o += len;
  }
  return -1;
}

function dissectOptions(c: Cursor, o: number, end: number, tree: Tree, dstInRoute: number): void {
  const opts = tree.addTree(f.options, c, o, end - o, { label: `Options: (${end - o} bytes)` });
  const names: string[] = [];
  const setHeading = (): void => {
    opts.owner!.label = `Options: (${end - o} bytes)` + (names.length ? ', ' + names.join(', ') : '');
  };
  let p = o;
  let nops = 0;
  for (let guard = 0; p < end && guard < 64; guard++) {
    const type = c.u8(p);
    const kind = optionKinds[type];
    const name = kind?.name ?? `Unknown (0x${hex2(type)})`;
    if (type === 0 || type === 1) {
      const t = opts.addTree(kind!.def, c, p, 1, { label: `IP Option - ${name}` });
      optionType(t, c, p);
      if (type === 1 && (nops === 0 || (p - o) % 4 !== 0)) {
        if (++nops === 4) opts.expert('warn', 'sequence', '4 NOP in a row - a router may have removed some options');
      } else {
        nops = 0;
      }
      p++;
      if (type === 0) break;
      continue;
    }
    const title = kind ? name : `Unknown (0x${hex2(type)})`;
    if (p + 1 >= end) {
      opts.expert('warn', 'protocol', `${title} (length byte past end of options)`, c, p, 1);
      break;
    }
    const len = c.u8(p + 1);
    if (len < 2) {
      opts.expert('warn', 'protocol', `${title} (with too-short option length = ${len} byte${len === 1 ? '' : 's'})`, c, p, 2);
      break;
    }
    if (p + len > end) {
      opts.expert('warn', 'protocol', `${title} (option length = ${len} byte${len === 1 ? '' : 's'} says option goes past end of options)`, c, p, end - p);
      break;
    }
    if (!kind) {
      opts.add(f.optUnknown, c, p, len, { label: `${title} (${len} byte${len === 1 ? '' : 's'})` });
      p += len;
      continue;
    }
    names.push(name);
    setHeading();
    const t = opts.addTree(kind.def, c, p, len, { label: `IP Option - ${name} (${len} bytes)` });
    optionType(t, c, p);
    t.add(f.optLen, c, p + 1, 1);
    switch (type) {
      case 7:
      case 131:
      case 137:
        routeOption(c, p, len, t, type !== 7 && dstInRoute === p + len - 4);
        break;
      case 68:
        timestampOption(c, p, len, t);
        break;
      case 148:
        if (len === 4) {
          const ra = c.u16(p + 2);
          t.add(f.optRa, c, p + 2, 2);
          t.owner!.label += `: ${ra === 0 ? 'Router shall examine packet' : 'Reserved'} (${ra})`;
        }
        break;
      case 134:
        cipsoOption(c, p, len, t);
        break;
      case 136:
        if (len === 4) t.add(f.optSid, c, p + 2, 2);
        break;
      case 11:
      case 12:
        if (len === 4) t.add(f.optMtu, c, p + 2, 2);
        break;
      case 82:
        if (len >= 12) {
          t.add(f.optIdNumber, c, p + 2, 2);
          t.add(f.optOhc, c, p + 4, 2);
          t.add(f.optRhc, c, p + 6, 2);
          t.add(f.optOriginator, c, p + 8, 4);
        }
        break;
      case 149:
        for (let a = p + 2; a + 4 <= p + len; a += 4) t.add(f.optAddr, c, a, 4);
        break;
      case 25:
        if (len === 8) {
          t.add(f.optQsFunc, c, p + 2, 1);
          t.add(f.optQsRate, c, p + 2, 1);
          t.add(f.optQsTtl, c, p + 3, 1);
          t.add(f.optQsNonce, c, p + 4, 4);
          t.add(f.optQsReserved, c, p + 4, 4);
        }
        break;
      default:
        break;
    }
    p += len;
  }
  setHeading();
}

function optionType(t: Tree, c: Cursor, p: number): void {
  const tt = t.addTree(f.optType, c, p, 1);
  tt.add(f.optTypeCopy, c, p, 1);
  tt.add(f.optTypeClass, c, p, 1);
  tt.add(f.optTypeNumber, c, p, 1);
}

function routeOption(c: Cursor, p: number, len: number, t: Tree, lastIsDst: boolean): void {
  if (len < 3) return;
  const ptr = c.u8(p + 2);
  t.add(f.optPtr, c, p + 2, 1);
  for (let off = 3; off + 4 <= len; off += 4) {
    const a = p + off;
    const v = c.u32(a);
    if (lastIsDst && off === len - 4) {
      addrHidden(t, c, a, f.dst, f.dstHost, true);
    } else if (off + 1 < ptr) {
      addrHidden(t, c, a, f.recRt, f.recRtHost, false);
    } else if (off + 1 === ptr) {
      const def = v ? f.srcRt : f.emptyRt;
      t.add(def, c, a, 4, { label: `${def.name}: ${formatIPv4(v)} <- (next)` });
      t.hidden(v ? f.srcRtHost : f.emptyRtHost, c, a, 4, { value: formatIPv4(v) });
    } else {
      addrHidden(t, c, a, v ? f.srcRt : f.emptyRt, v ? f.srcRtHost : f.emptyRtHost, false);
    }
  }
}

function timestampOption(c: Cursor, p: number, len: number, t: Tree): void {
  if (len < 4) return;
  t.add(f.optPtr, c, p + 2, 1);
  t.add(f.optOverflow, c, p + 3, 1);
  const flag = c.u8(p + 3) & 0x0f;
  t.add(f.optFlag, c, p + 3, 1, { label: `${bitPicture(0x0f, 8, flag)} = Flag: ${ipOptTsFlagNames[flag] ?? 'Unknown'} (0x${flag.toString(16)})` });
  let o = p + 4;
  const end = p + len;
  while (o + 4 <= end) {
    if (flag === 1 || flag === 3) {
      const a = c.u32(o);
      t.add(f.optTimeStampAddr, c, o, 4, { label: `Address: ${a ? formatIPv4(a) : '-'}` });
      o += 4;
      if (o + 4 > end) break;
    }
    t.add(f.optTimeStamp, c, o, 4);
    o += 4;
  }
}

function cipsoOption(c: Cursor, p: number, len: number, t: Tree): void {
  if (len < 6) return;
  t.add(f.cipsoDoi, c, p + 2, 4);
  let o = p + 6;
  const end = p + len;
  for (let guard = 0; o + 2 <= end && guard < 32; guard++) {
    const tag = c.u8(o);
    const tlen = c.u8(o + 1);
    if (tlen < 2 || o + tlen > end) break;
    t.add(f.cipsoTagType, c, o, 1);
    if ((tag === 1 || tag === 2 || tag === 5) && tlen >= 4) {
      t.add(f.cipsoSensitivity, c, o + 3, 1);
      const cats: number[] = [];
      if (tag === 1) {
        for (let i = 4; i < tlen; i++) {
          const b = c.u8(o + i);
          for (let bit = 0; bit < 8; bit++) if (b & (0x80 >> bit)) cats.push((i - 4) * 8 + bit);
        }
      } else if (tag === 2) {
        for (let i = 4; i + 2 <= tlen; i += 2) cats.push(c.u16(o + i));
      }
      if (tag === 5) {
        const ranges: string[] = [];
        for (let i = 4; i + 2 <= tlen; i += 4) {
          const hi = c.u16(o + i);
          const lo = i + 4 <= tlen ? c.u16(o + i + 2) : 0;
          ranges.push(`${lo}-${hi}`);
        }
        if (ranges.length) t.add(f.cipsoCategories, c, o + 4, tlen - 4, { value: ranges.join(',') });
      } else if (tlen > 4) {
        t.add(f.cipsoCategories, c, o + 4, tlen - 4, { value: cats.join(',') });
      }
    } else if (tlen > 2) {
      t.add(f.cipsoTagData, c, o + 2, tlen - 2);
    }
    o += tlen;
  }
}

function fragTable(ctx: PacketContext): FragmentTable {
  return ctx.session.slot('ip.fragments', () => new FragmentTable());
}

/** Multicast 224.0.0.0/24 addresses and the TTL routers expect for them (RFC 3171); -1: any. */
function localControlTtl(dst: number, proto: number): number {
  if (proto === 2) return 1; // IGMP
  if (dst === 0xe0000012 || dst === 0xe0000066 || dst === 0xe00000fb) return 255; // VRRP, GLBP, mDNS
  if (dst === 0xe00000fc) return -1; // LLMNR
  return 1;
}

export default protocol({
  abbrev: 'ip',
  name: 'Internet Protocol Version 4',
  short: 'IPv4',
  fields: f,
  register(r) {
    r.table('ethertype', 0x0800);
    r.table('ip.proto', 4);
  },
  dissect(c, ctx, tree) {
    const o = c.start;
    const inError = ctx.scratch.get(IN_ERROR_PACKET) === true;
    const b0 = c.u8(o);
    const version = b0 >> 4;
    ctx.setInfo('');
    if (version !== 4) {
      tree.subtree(tree.add(f.version, c, o, 1)).expert('error', 'protocol', 'Bogus IPv4 version');
      ctx.setInfo(`Bogus IPv4 version (${version}, must be 4)`);
      // Some captures label IPv6 packets as IPv4; Wireshark goes on with IPv6 then.
      if (version === 6) return Math.max(ctx.callProtocol('ipv6', c.sub(o), tree), 0);
      return 1;
    }
    tree.add(f.version, c, o, 1);
    const hlen = (b0 & 0x0f) * 4;
    if (hlen < 20) {
      const hn = tree.add(f.hdrLen, c, o, 1, { value: hlen, label: () => `.... ${bitPicture(0x0f, 4, b0 & 0x0f)} = Header Length: ${hlen} bytes (${hlen >> 2})` });
      tree.subtree(hn).expert('error', 'protocol', `Bogus IP header length (${hlen}, must be at least 20)`);
      ctx.setInfo(`Bogus IP header length (${hlen}, must be at least 20)`);
      return 1;
    }
    // Header items whose bytes were read already: only a tree shows them (their labels are closures).
    const full = ctx.buildTree;
    if (full) tree.add(f.hdrLen, c, o, 1, { value: hlen, label: () => `.... ${bitPicture(0x0f, 4, b0 & 0x0f)} = Header Length: ${hlen} bytes (${hlen >> 2})` });
    const ds = c.u8(o + 1);
    if (full) {
      const dst = tree.addTree(f.dsfield, c, o + 1, 1, { label: () => `Differentiated Services Field: 0x${hex2(ds)} (${dsSummary(ds)})` });
      dst.add(f.dscp, c, o + 1, 1);
      dst.add(f.ecn, c, o + 1, 1);
    }

    let ipLen = c.u16(o + 2);
    const reportedLen = c.reportedEnd - o;
    if (ipLen === 0) {
      // TCP segmentation offload: the NIC fills the length in later.
      ipLen = reportedLen;
      tree.add(f.len, c, o + 2, 2, { value: ipLen, label: `[Total Length: ${ipLen} bytes (reported as 0, presumed to be because of "TCP segmentation offload" (TSO))]` });
    } else if (ipLen < hlen) {
      const ln = tree.add(f.len, c, o + 2, 2, { label: `Total Length: ${ipLen} bytes (bogus, less than header length ${hlen})` });
      tree.subtree(ln).expert('error', 'protocol', 'Bogus IP length');
      ctx.setInfo(`Bogus IP length (${ipLen}, less than header length ${hlen})`);
      return Math.min(c.remaining(o), 4);
    } else {
      const ln = tree.add(f.len, c, o + 2, 2);
      if (ipLen > reportedLen && !inError) {
        tree.subtree(ln).expert('error', 'protocol', `IPv4 total length exceeds packet length (${reportedLen} bytes)`);
      }
    }
    // From here on the datagram is limited to its total length.
    // In an ICMP error the datagram is cut short on purpose: bytes past what was quoted are
    // missing, not malformed (reads there become "captured" short reads).
    const dg = inError && o + ipLen > c.reportedEnd ? new Cursor(c.data, c.source, o, c.end, o + ipLen, c.view) : c.sub(o, ipLen);

    const id = c.u16(o + 4);
    tree.add(f.id, c, o + 4, 2);
    const offWord = c.u16(o + 6);
    const flags = offWord >> 13;
    const fragOff = (offWord & 0x1fff) * 8;
    const more = (flags & 1) !== 0;
    if (full) {
      const flagNames: string[] = [];
      if (flags & 4) flagNames.push('Reserved bit');
      if (flags & 2) flagNames.push("Don't fragment");
      if (flags & 1) flagNames.push('More fragments');
      const ft = tree.addTree(f.flags, c, o + 6, 1, { label: () => `${bitPicture(0xe0, 8, (offWord >> 8) & 0xe0)} = Flags: 0x${flags.toString(16)}${flagNames.length ? ', ' + flagNames.join(', ') : ''}` });
      ft.add(f.flagsRb, c, o + 6, 1);
      ft.add(f.flagsDf, c, o + 6, 1);
      ft.add(f.flagsMf, c, o + 6, 1);
      tree.add(f.fragOffset, c, o + 6, 2, { label: () => `${bitPicture(0x1fff, 16, offWord & 0x1fff)} = Fragment Offset: ${fragOff}` });
    }
    const ttl = c.u8(o + 8);
    const ttlNode = tree.addTree(f.ttl, c, o + 8, 1);
    ctx.scratch.set('ip.ttl', ttl);
    const proto = c.u8(o + 9);
    tree.add(f.proto, c, o + 9, 1);
    addChecksum(tree, c, o + 10, f.checksum, f.checksumStatus, 'Header Checksum', c.has(o, hlen) && ctx.buildTree ? inetChecksum(c.bytes(o, hlen)) : null, 'Header checksum status');

    const srcBytes = c.bytes(o + 12, 4);
    const src32 = c.u32(o + 12);
    addrHidden(tree, c, o + 12, f.src, f.srcHost, true);
    // A source route still under way names the final destination in the option.
    const routeDst = hlen > 20 && c.has(o + 20, hlen - 20) ? sourceRouteDestination(c, o + 20, o + hlen) : -1;
    const dstOff = routeDst >= 0 ? routeDst : o + 16;
    const dstBytes = c.bytes(dstOff, 4);
    const dst32 = c.u32(dstOff);
    if (routeDst >= 0) addrHidden(tree, c, o + 16, f.curRt, f.curRtHost, false);
    else addrHidden(tree, c, o + 16, f.dst, f.dstHost, true);

    ctx.netSrc = { kind: 'ipv4', bytes: srcBytes };
    ctx.netDst = { kind: 'ipv4', bytes: dstBytes };
    ctx.columns.source = formatIPv4(src32);
    ctx.columns.destination = formatIPv4(dst32);
    if (tree.owner && ctx.buildTree) tree.owner.label = `Internet Protocol Version 4, Src: ${formatIPv4(src32)}, Dst: ${formatIPv4(dst32)}` + (routeDst >= 0 ? `, Via: ${formatIPv4(c.u32(o + 16))}` : '');

    if ((dst32 & 0xffffff00) >>> 0 === 0xe0000000) {
      const want = localControlTtl(dst32, proto);
      if (want >= 0 && ttl !== want) ttlNode.expert('note', 'sequence', `"Time To Live" != ${want} for a packet sent to the Local Network Control Block (see RFC 3171)`);
    } else if ((dst32 & 0xf0000000) >>> 0 !== 0xe0000000 && ttl < 5 && proto !== 103 && proto !== 89) {
      ttlNode.expert('note', 'sequence', `"Time To Live" only ${ttl}`);
    }

    if (hlen > 20) dissectOptions(c, o + 20, o + hlen, tree, routeDst);

    const consumed = Math.min(ipLen, c.remaining(o));
    const payloadLen = ipLen - hlen;
    const payloadStart = o + hlen;
    const protoName = ipProtoNames[proto] ?? 'Unknown';
    const fragmentInfo = (): void => {
      ctx.setInfo(`Fragmented IP protocol (proto=${protoName} ${proto}, off=${fragOff}, ID=${id.toString(16).padStart(4, '0')})`);
    };

    if (more || fragOff > 0) {
      if (payloadLen > 0 && dg.has(payloadStart, payloadLen)) {
        const key = `${src32}|${dst32}|${id}|${proto}`;
        const table = fragTable(ctx);
        const res = table.add(key, ctx.frame.number, fragOff, dg.bytes(payloadStart, payloadLen), more);
        if (res.done && res.done.frame === ctx.frame.number) {
          const rc = ctx.addSource('Reassembled IPv4', res.done.data);
          addFragmentTree(tree, rc, res.done, fragFields, 'IPv4');
          dispatch(proto, rc, ctx, tree);
          return consumed;
        }
        fragmentInfo();
        if (res.reassembledIn && ctx.visited) {
          tree.generated(f.reassembledIn, res.reassembledIn, `[Reassembled IPv4 in frame: ${res.reassembledIn}]`);
          ctx.appendInfo(`[Reassembled in #${res.reassembledIn}]`);
        }
        ctx.callData(dg.sub(payloadStart), tree);
        return consumed;
      }
    }
    if (fragOff > 0) {
      // Not the first fragment and not reassembled: only data.
      fragmentInfo();
      ctx.callData(dg.sub(payloadStart), tree);
      return consumed;
    }
    // Unfragmented, or a first fragment that could not be reassembled (its upper layer is told,
    // like Wireshark's pinfo->fragmented, so that it does not verify a partial checksum).
    const saved = ctx.scratch.get('ip.fragmented');
    ctx.scratch.set('ip.fragmented', more);
    dispatch(proto, dg.sub(payloadStart), ctx, tree);
    ctx.scratch.set('ip.fragmented', saved === true);
    return consumed;
  },
});

function dispatch(proto: number, payload: Cursor, ctx: PacketContext, tree: Tree): void {
  if (payload.remaining(payload.start) <= 0 && payload.reportedRemaining(payload.start) <= 0) return;
  const used = ctx.call('ip.proto', proto, payload, tree);
  if (used < 0) {
    // Nobody decodes this protocol: Wireshark names it in the Info column.
    ctx.setInfo(`${ipProtoNames[proto] ?? 'Unknown'} (${proto})`);
    ctx.callData(payload, tree);
  }
}
