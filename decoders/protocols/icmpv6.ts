// ICMPv6 (RFC 4443) with Neighbor Discovery (RFC 4861) and MLD/MLDv2 (RFC 2710, 3810) as
// Wireshark 4.0 shows them: checksum over the IPv6 pseudo-header, echo matching, ND options
// (link-layer addresses, prefix information, MTU), and the packet quoted by error messages
// decoded through IPv6 without disturbing the columns.

import { field, protocol } from '../core/registry.ts';
import { formatBytesHex, formatEther, formatIPv6 } from '../core/format.ts';
import type { Cursor } from '../core/cursor.ts';
import type { PacketContext } from '../core/context.ts';
import type { Tree } from '../core/tree.ts';
import { checksumShouldBe, IN_ERROR_PACKET, inetChecksum, matchEcho, partialSum } from './ip-shared.ts';
import { icmpv6OptTypeNames, icmpv6TypeNames } from './ip-names.ts';

const codeNames: Readonly<Record<number, Readonly<Record<number, string>>>> = {
  1: {
    0: 'no route to destination', 1: 'Administratively prohibited', 2: 'Beyond scope of source address', 3: 'Address unreachable',
    4: 'Port unreachable', 5: 'Source address failed ingress/egress policy', 6: 'Reject route to destination', 7: 'Error in Source Routing Header',
  },
  3: { 0: 'hop limit exceeded in transit', 1: 'fragment reassembly time exceeded' },
  4: { 0: 'erroneous header field encountered', 1: 'unrecognized Next Header type encountered', 2: 'unrecognized IPv6 option encountered', 3: 'IPv6 First Fragment has incomplete IPv6 Header Chain' },
};
const recordTypeNames: Readonly<Record<number, string>> = { 1: 'Include', 2: 'Exclude', 3: 'Changed to include', 4: 'Changed to exclude', 5: 'Allow new sources', 6: 'Block old sources' };
const checksumStatusNames = { 0: 'Bad', 1: 'Good', 2: 'Unverified' };
const prfNames = { 0: 'Medium', 1: 'High', 2: 'Reserved', 3: 'Low' };

const f = {
  type: field('icmpv6.type', 'Type', 'uint8', { values: icmpv6TypeNames }),
  code: field('icmpv6.code', 'Code', 'uint8'),
  checksum: field('icmpv6.checksum', 'Checksum', 'uint16', { base: 'hex' }),
  checksumStatus: field('icmpv6.checksum.status', 'Checksum Status', 'uint8', { values: checksumStatusNames }),
  reserved: field('icmpv6.reserved', 'Reserved', 'bytes'),
  data: field('icmpv6.data', 'Data', 'bytes'),
  mtu: field('icmpv6.mtu', 'MTU', 'uint32'),
  pointer: field('icmpv6.pointer', 'Pointer', 'uint32'),
  echoId: field('icmpv6.echo.identifier', 'Identifier', 'uint16', { base: 'hex' }),
  echoSeq: field('icmpv6.echo.sequence_number', 'Sequence', 'uint16'),
  raHopLimit: field('icmpv6.nd.ra.cur_hop_limit', 'Cur hop limit', 'uint8'),
  raFlag: field('icmpv6.nd.ra.flag', 'Flags', 'uint8', { base: 'hex' }),
  raFlagM: field('icmpv6.nd.ra.flag.m', 'Managed address configuration', 'bool', { bitmask: 0x80, bitWidth: 8 }),
  raFlagO: field('icmpv6.nd.ra.flag.o', 'Other configuration', 'bool', { bitmask: 0x40, bitWidth: 8 }),
  raFlagH: field('icmpv6.nd.ra.flag.h', 'Home Agent', 'bool', { bitmask: 0x20, bitWidth: 8 }),
  raFlagPrf: field('icmpv6.nd.ra.flag.prf', 'Prf (Default Router Preference)', 'uint8', { bitmask: 0x18, bitWidth: 8, values: prfNames }),
  raFlagP: field('icmpv6.nd.ra.flag.p', 'Proxy', 'bool', { bitmask: 0x04, bitWidth: 8 }),
  raFlagRsv: field('icmpv6.nd.ra.flag.rsv', 'Reserved', 'uint8', { bitmask: 0x03, bitWidth: 8 }),
  raRouterLifetime: field('icmpv6.nd.ra.router_lifetime', 'Router lifetime (s)', 'uint16'),
  raReachable: field('icmpv6.nd.ra.reachable_time', 'Reachable time (ms)', 'uint32'),
  raRetrans: field('icmpv6.nd.ra.retrans_timer', 'Retrans timer (ms)', 'uint32'),
  nsTarget: field('icmpv6.nd.ns.target_address', 'Target Address', 'ipv6'),
  naFlag: field('icmpv6.nd.na.flag', 'Flags', 'uint32', { base: 'hex' }),
  naFlagR: field('icmpv6.nd.na.flag.r', 'Router', 'bool', { bitmask: 0x80000000, bitWidth: 32 }),
  naFlagS: field('icmpv6.nd.na.flag.s', 'Solicited', 'bool', { bitmask: 0x40000000, bitWidth: 32 }),
  naFlagO: field('icmpv6.nd.na.flag.o', 'Override', 'bool', { bitmask: 0x20000000, bitWidth: 32 }),
  naFlagRsv: field('icmpv6.nd.na.flag.rsv', 'Reserved', 'uint32', { bitmask: 0x1fffffff, bitWidth: 32 }),
  naTarget: field('icmpv6.nd.na.target_address', 'Target Address', 'ipv6'),
  rdTarget: field('icmpv6.nd.rd.target_address', 'Target Address', 'ipv6'),
  rdDestination: field('icmpv6.rd.na.destination_address', 'Destination Address', 'ipv6'),
  opt: field('icmpv6.opt', 'ICMPv6 Option', 'none'),
  optType: field('icmpv6.opt.type', 'Type', 'uint8', { values: icmpv6OptTypeNames }),
  optLength: field('icmpv6.opt.length', 'Length', 'uint8'),
  optReserved: field('icmpv6.opt.reserved', 'Reserved', 'none'),
  optLinkaddr: field('icmpv6.opt.linkaddr', 'Link-layer address', 'ether'),
  optSrcLinkaddr: field('icmpv6.opt.src_linkaddr', 'Source Link-layer address', 'ether'),
  optTargetLinkaddr: field('icmpv6.opt.target_linkaddr', 'Target Link-layer address', 'ether'),
  optPrefixLength: field('icmpv6.opt.prefix.length', 'Prefix Length', 'uint8'),
  optPrefixFlag: field('icmpv6.opt.prefix.flag', 'Flag', 'uint8', { base: 'hex' }),
  optPrefixFlagL: field('icmpv6.opt.prefix.flag.l', 'On-link flag(L)', 'bool', { bitmask: 0x80, bitWidth: 8 }),
  optPrefixFlagA: field('icmpv6.opt.prefix.flag.a', 'Autonomous address-configuration flag(A)', 'bool', { bitmask: 0x40, bitWidth: 8 }),
  optPrefixFlagR: field('icmpv6.opt.prefix.flag.r', 'Router address flag(R)', 'bool', { bitmask: 0x20, bitWidth: 8 }),
  optPrefixFlagRsv: field('icmpv6.opt.prefix.flag.reserved', 'Reserved', 'uint8', { bitmask: 0x1f, bitWidth: 8 }),
  optPrefixValid: field('icmpv6.opt.prefix.valid_lifetime', 'Valid Lifetime', 'uint32'),
  optPrefixPreferred: field('icmpv6.opt.prefix.preferred_lifetime', 'Preferred Lifetime', 'uint32'),
  optPrefix: field('icmpv6.opt.prefix', 'Prefix', 'ipv6'),
  optMtu: field('icmpv6.opt.mtu', 'MTU', 'uint32'),
  optData: field('icmpv6.opt.data', 'Data', 'bytes'),
  mldMaxDelay: field('icmpv6.mld.maximum_response_delay', 'Maximum Response Delay [ms]', 'uint16'),
  mldMcast: field('icmpv6.mld.multicast_address', 'Multicast Address', 'ipv6'),
  mldMaxCode: field('icmpv6.mld.maximum_response_code', 'Maximum Response Code', 'uint16'),
  mldFlag: field('icmpv6.mld.flag', 'Flags', 'uint8', { base: 'hex' }),
  mldFlagS: field('icmpv6.mld.flag.s', 'Suppress Router-Side Processing', 'bool', { bitmask: 0x08, bitWidth: 8 }),
  mldFlagQrv: field('icmpv6.mld.flag.qrv', "QRV (Querier's Robustness Variable)", 'uint8', { bitmask: 0x07, bitWidth: 8 }),
  mldFlagRsv: field('icmpv6.mld.flag.reserved', 'Reserved', 'uint8', { bitmask: 0xf0, bitWidth: 8 }),
  mldQqi: field('icmpv6.mld.qqi', "QQIC (Querier's Query Interval Code)", 'uint8'),
  mldNbSources: field('icmpv6.mld.nb_sources', 'Number of Sources', 'uint16'),
  mldSource: field('icmpv6.mld.source_address', 'Source Address', 'ipv6'),
  mldrNbRecords: field('icmpv6.mldr.nb_mcast_records', 'Number of Multicast Address Records', 'uint16'),
  mldrMar: field('icmpv6.mldr.mar', 'Multicast Address Record', 'none'),
  mldrType: field('icmpv6.mldr.mar.record_type', 'Record Type', 'uint8', { values: recordTypeNames }),
  mldrAux: field('icmpv6.mldr.mar.aux_data_len', 'Aux Data Len', 'uint8'),
  mldrNbSources: field('icmpv6.mldr.mar.nb_sources', 'Number of Sources', 'uint16'),
  mldrMcast: field('icmpv6.mldr.mar.multicast_address', 'Multicast Address', 'ipv6'),
  mldrSource: field('icmpv6.mldr.mar.source_address', 'Source Address', 'ipv6'),
  mldrAuxData: field('icmpv6.mldr.mar.auxiliary_data', 'Auxiliary Data', 'bytes'),
  respIn: field('icmpv6.resp_in', 'Response In', 'framenum'),
  noResp: field('icmpv6.no_resp', 'No response seen', 'none'),
  respTo: field('icmpv6.resp_to', 'Response To', 'framenum'),
  respTime: field('icmpv6.resptime', 'Response Time', 'double'),
};

function echoMatch(ctx: PacketContext, tree: Tree, isReply: boolean, ident: number, seq: number): string {
  const s = ctx.netSrc ? formatBytesHex(ctx.netSrc.bytes) : '';
  const d = ctx.netDst ? formatBytesHex(ctx.netDst.bytes) : '';
  const key = `${isReply ? d : s}|${isReply ? s : d}|${ident}|${seq}`;
  return matchEcho(ctx, tree, 'icmpv6.echo', key, isReply, f, { respIn: 'Response In', respTo: 'Response To', respTime: 'Response Time' });
}

/** What ND options told the Info column: link-layer addresses. */
interface NdSummary {
  srcLl?: string;
  targetLl?: string;
}

function ndOptions(c: Cursor, o: number, end: number, tree: Tree): NdSummary {
  const out: NdSummary = {};
  let p = o;
  for (let guard = 0; p + 2 <= end && guard < 128; guard++) {
    const type = c.u8(p);
    const lenUnits = c.u8(p + 1);
    const len = lenUnits * 8;
    const name = icmpv6OptTypeNames[type] ?? 'Unknown';
    const ot = tree.addTree(f.opt, c, p, Math.max(2, Math.min(len, end - p)), { label: `ICMPv6 Option (${name})` });
    ot.add(f.optType, c, p, 1);
    ot.add(f.optLength, c, p + 1, 1, { label: `Length: ${lenUnits} (${len} bytes)` });
    if (len === 0) {
      ot.expert('error', 'protocol', 'Invalid option length (Zero)');
      break;
    }
    c.check(p, Math.min(len, c.reportedEnd - p));
    const d = p + 2;
    switch (type) {
      case 1:
      case 2: {
        if (len === 8) {
          const mac = c.bytes(d, 6);
          ot.add(f.optLinkaddr, c, d, 6);
          ot.hidden(type === 1 ? f.optSrcLinkaddr : f.optTargetLinkaddr, c, d, 6);
          const text = formatEther(mac);
          ot.owner!.label = `ICMPv6 Option (${name} : ${text})`;
          if (type === 1) out.srcLl = text;
          else out.targetLl = text;
        } else if (len > 2) {
          ot.add(f.optData, c, d, len - 2);
        }
        break;
      }
      case 3:
        if (len === 32) {
          const plen = c.u8(d);
          ot.add(f.optPrefixLength, c, d, 1);
          const pf = c.u8(d + 1);
          const pfNames = [[0x80, 'On-link flag(L)'], [0x40, 'Autonomous address-configuration flag(A)'], [0x20, 'Router address flag(R)']].filter(([b]) => pf & (b as number)).map(([, n]) => n);
          const ft = ot.addTree(f.optPrefixFlag, c, d + 1, 1, { label: `Flag: 0x${pf.toString(16).padStart(2, '0')}${pfNames.length ? ', ' + pfNames.join(', ') : ''}` });
          ft.add(f.optPrefixFlagL, c, d + 1, 1);
          ft.add(f.optPrefixFlagA, c, d + 1, 1);
          ft.add(f.optPrefixFlagR, c, d + 1, 1);
          ft.add(f.optPrefixFlagRsv, c, d + 1, 1);
          ot.add(f.optPrefixValid, c, d + 2, 4);
          ot.add(f.optPrefixPreferred, c, d + 6, 4);
          ot.add(f.optReserved, c, d + 10, 4, { label: 'Reserved' });
          const prefix = c.bytes(d + 14, 16);
          ot.add(f.optPrefix, c, d + 14, 16);
          ot.owner!.label = `ICMPv6 Option (${name} : ${formatIPv6(prefix)}/${plen})`;
        }
        break;
      case 5:
        if (len === 8) {
          ot.add(f.optReserved, c, d, 2, { label: 'Reserved' });
          const mtu = c.u32(d + 2);
          ot.add(f.optMtu, c, d + 2, 4);
          ot.owner!.label = `ICMPv6 Option (${name} : ${mtu})`;
        }
        break;
      default:
        if (len > 2) ot.add(f.optData, c, d, Math.min(len, end - p) - 2);
    }
    p += len;
  }
  return out;
}

function quoted(c: Cursor, start: number, ctx: PacketContext, tree: Tree): void {
  if (c.remaining(start) <= 0) return;
  const saved = { ...ctx.columns };
  const { netSrc, netDst, srcPort, dstPort } = ctx;
  const was = ctx.scratch.get(IN_ERROR_PACKET);
  ctx.scratch.set(IN_ERROR_PACKET, true);
  try {
    ctx.callProtocol('ipv6', c.sub(start), tree.nested());
  } finally {
    ctx.scratch.set(IN_ERROR_PACKET, was === true);
    Object.assign(ctx.columns, saved);
    ctx.netSrc = netSrc;
    ctx.netDst = netDst;
    ctx.srcPort = srcPort;
    ctx.dstPort = dstPort;
  }
}

function pseudoSum(ctx: PacketContext, length: number): number | null {
  if (!ctx.netSrc || !ctx.netDst || ctx.netSrc.kind !== 'ipv6' || ctx.netDst.kind !== 'ipv6') return null;
  return partialSum(ctx.netSrc.bytes) + partialSum(ctx.netDst.bytes) + (length >>> 16) + (length & 0xffff) + 58;
}

export default protocol({
  abbrev: 'icmpv6',
  name: 'Internet Control Message Protocol v6',
  short: 'ICMPv6',
  fields: f,
  register(r) {
    r.table('ip.proto', 58);
  },
  dissect(c, ctx, tree) {
    const o = c.start;
    const inError = ctx.scratch.get(IN_ERROR_PACKET) === true;
    const type = c.u8(o);
    const code = c.u8(o + 1);
    const typeName = icmpv6TypeNames[type] ?? 'Unknown';
    const codeName = codeNames[type]?.[code];
    ctx.setInfo(typeName);
    tree.add(f.type, c, o, 1);
    tree.add(f.code, c, o + 1, 1, { label: codeName ? `Code: ${code} (${codeName})` : `Code: ${code}` });
    if (codeName) ctx.appendInfo(`(${codeName})`);

    const cks = c.u16(o + 2);
    const cksText = `0x${cks.toString(16).padStart(4, '0')}`;
    const reportedLen = c.reportedEnd - o;
    const pseudo = pseudoSum(ctx, reportedLen);
    if (!inError && pseudo !== null && c.remaining(o) >= reportedLen) {
      const computed = inetChecksum(c.bytes(o, reportedLen), pseudo);
      if (computed === 0) {
        tree.add(f.checksum, c, o + 2, 2, { label: `Checksum: ${cksText} [correct]` });
        tree.generated(f.checksumStatus, 1, '[Checksum Status: Good]', c, o + 2, 0);
      } else {
        const should = checksumShouldBe(cks, computed).toString(16).padStart(4, '0');
        const ct = tree.addTree(f.checksum, c, o + 2, 2, { label: `Checksum: ${cksText} incorrect, should be 0x${should}` });
        ct.expert('warn', 'checksum', `Bad checksum [should be 0x${should}]`);
        tree.generated(f.checksumStatus, 0, '[Checksum Status: Bad]', c, o + 2, 0);
      }
    } else {
      tree.add(f.checksum, c, o + 2, 2, { label: `Checksum: ${cksText} [unverified]${inError ? ' [in ICMP error packet]' : ''}` });
      tree.generated(f.checksumStatus, 2, '[Checksum Status: Unverified]', c, o + 2, 0);
    }

    const end = c.reportedEnd;
    const d = o + 4;
    switch (type) {
      case 1:
      case 3:
        tree.add(f.reserved, c, d, 4);
        quoted(c, d + 4, ctx, tree);
        break;
      case 2:
        tree.add(f.mtu, c, d, 4);
        quoted(c, d + 4, ctx, tree);
        break;
      case 4:
        tree.add(f.pointer, c, d, 4);
        quoted(c, d + 4, ctx, tree);
        break;
      case 128:
      case 129: {
        const ident = c.u16(d);
        const seq = c.u16(d + 2);
        tree.add(f.echoId, c, d, 2);
        tree.add(f.echoSeq, c, d + 2, 2);
        let info = ` id=0x${ident.toString(16).padStart(4, '0')}, seq=${seq}`;
        const hlim = ctx.scratch.get('ipv6.hlim');
        if (typeof hlim === 'number') info += `, hop limit=${hlim}`;
        if (!inError) info += echoMatch(ctx, tree, type === 129, ident, seq);
        ctx.appendInfo(info, '');
        if (c.reportedRemaining(d + 4) > 0) ctx.callData(c.sub(d + 4), tree.nested());
        break;
      }
      case 130:
      case 131:
      case 132: {
        if (type === 130 && end - o >= 28) {
          // MLDv2 query
          tree.add(f.mldMaxCode, c, d, 2);
          tree.add(f.reserved, c, d + 2, 2);
          tree.add(f.mldMcast, c, d + 4, 16);
          const ft = tree.addTree(f.mldFlag, c, d + 20, 1);
          ft.add(f.mldFlagRsv, c, d + 20, 1);
          ft.add(f.mldFlagS, c, d + 20, 1);
          ft.add(f.mldFlagQrv, c, d + 20, 1);
          tree.add(f.mldQqi, c, d + 21, 1);
          const n = c.u16(d + 22);
          tree.add(f.mldNbSources, c, d + 22, 2);
          for (let i = 0, p = d + 24; i < n && p < end; i++, p += 16) tree.add(f.mldSource, c, p, 16);
        } else {
          tree.add(f.mldMaxDelay, c, d, 2);
          tree.add(f.reserved, c, d + 2, 2);
          tree.add(f.mldMcast, c, d + 4, 16);
        }
        break;
      }
      case 143: {
        tree.add(f.reserved, c, d, 2);
        const n = c.u16(d + 2);
        tree.add(f.mldrNbRecords, c, d + 2, 2);
        let p = d + 4;
        for (let i = 0; i < n && p < end; i++) {
          const rtype = c.u8(p);
          const aux = c.u8(p + 1) * 4;
          const ns = c.u16(p + 2);
          const len = 20 + ns * 16 + aux;
          const mcast = c.bytes(p + 4, 16);
          const rt = tree.addTree(f.mldrMar, c, p, Math.min(len, Math.max(0, c.end - p)), { label: `Multicast Address Record ${recordTypeNames[rtype] ?? 'Unknown'}: ${formatIPv6(mcast)}` });
          rt.add(f.mldrType, c, p, 1);
          rt.add(f.mldrAux, c, p + 1, 1);
          rt.add(f.mldrNbSources, c, p + 2, 2);
          rt.add(f.mldrMcast, c, p + 4, 16);
          for (let s = 0; s < ns; s++) rt.add(f.mldrSource, c, p + 20 + s * 16, 16);
          if (aux) rt.add(f.mldrAuxData, c, p + 20 + ns * 16, aux);
          p += len;
        }
        break;
      }
      case 133: {
        tree.add(f.reserved, c, d, 4);
        const s = ndOptions(c, d + 4, end, tree);
        if (s.srcLl) ctx.appendInfo(`from ${s.srcLl}`);
        break;
      }
      case 134: {
        tree.add(f.raHopLimit, c, d, 1);
        const rf = c.u8(d + 1);
        const rfNames: string[] = [];
        if (rf & 0x80) rfNames.push('Managed address configuration');
        if (rf & 0x40) rfNames.push('Other configuration');
        if (rf & 0x20) rfNames.push('Home Agent');
        if (rf & 0x18) rfNames.push(`Prf (Default Router Preference): ${prfNames[((rf >> 3) & 3) as 0 | 1 | 2 | 3]}`);
        if (rf & 0x04) rfNames.push('Proxy');
        const ft = tree.addTree(f.raFlag, c, d + 1, 1, { label: `Flags: 0x${rf.toString(16).padStart(2, '0')}${rfNames.length ? ', ' + rfNames.join(', ') : ''}` });
        for (const def of [f.raFlagM, f.raFlagO, f.raFlagH, f.raFlagPrf, f.raFlagP, f.raFlagRsv]) ft.add(def, c, d + 1, 1);
        tree.add(f.raRouterLifetime, c, d + 2, 2);
        tree.add(f.raReachable, c, d + 4, 4);
        tree.add(f.raRetrans, c, d + 8, 4);
        const s = ndOptions(c, d + 12, end, tree);
        if (s.srcLl) ctx.appendInfo(`from ${s.srcLl}`);
        break;
      }
      case 135: {
        tree.add(f.reserved, c, d, 4);
        const target = c.bytes(d + 4, 16);
        tree.add(f.nsTarget, c, d + 4, 16);
        ctx.appendInfo(`for ${formatIPv6(target)}`);
        const s = ndOptions(c, d + 20, end, tree);
        if (s.srcLl) ctx.appendInfo(`from ${s.srcLl}`);
        break;
      }
      case 136: {
        const fl = c.u32(d);
        const names: string[] = [];
        const short: string[] = [];
        if (fl & 0x80000000) { names.push('Router'); short.push('rtr'); }
        if (fl & 0x40000000) { names.push('Solicited'); short.push('sol'); }
        if (fl & 0x20000000) { names.push('Override'); short.push('ovr'); }
        const ft = tree.addTree(f.naFlag, c, d, 4, { label: `Flags: 0x${(fl >>> 0).toString(16).padStart(8, '0')}${names.length ? ', ' + names.join(', ') : ''}` });
        ft.add(f.naFlagR, c, d, 4);
        ft.add(f.naFlagS, c, d, 4);
        ft.add(f.naFlagO, c, d, 4);
        ft.add(f.naFlagRsv, c, d, 4);
        const target = c.bytes(d + 4, 16);
        tree.add(f.naTarget, c, d + 4, 16);
        ctx.appendInfo(formatIPv6(target));
        if (short.length) ctx.appendInfo(`(${short.join(', ')})`);
        const s = ndOptions(c, d + 20, end, tree);
        if (s.targetLl) ctx.appendInfo(`is at ${s.targetLl}`);
        break;
      }
      case 137: {
        tree.add(f.reserved, c, d, 4);
        tree.add(f.rdTarget, c, d + 4, 16);
        tree.add(f.rdDestination, c, d + 20, 16);
        const s = ndOptions(c, d + 36, end, tree);
        if (s.targetLl) ctx.appendInfo(`is at ${s.targetLl}`);
        break;
      }
      default:
        if (c.reportedRemaining(d) > 0) tree.add(f.data, c, d, Math.min(c.remaining(d), end - d));
    }
    return Math.max(0, c.remaining(o));
  },
});
