// Internet Protocol version 6 (RFC 8200) as Wireshark 4.0 shows it: the fixed header, the
// extension header chain (hop-by-hop, routing, fragment, destination options; each its own
// protocol inside the IPv6 node), fragment reassembly into a "Reassembled IPv6" data source,
// then the `ip.proto` table. The payload is limited to the Payload Length.

import { field, protocol } from '../core/registry.ts';
import { bitPicture, formatEther, formatIPv4, formatIPv6, hex2 } from '../core/format.ts';
import { NodeFlags, type FieldDef } from '../core/types.ts';
import { Cursor } from '../core/cursor.ts';
import type { PacketContext } from '../core/context.ts';
import type { Tree } from '../core/tree.ts';
import { addFragmentTree, FragmentTable } from '../streams/ip-reassembly.ts';
import { dscpNames, ecnNames, ipProtoNames } from './ip-names.ts';
import { dsSummary, EXT_RESULT, IN_ERROR_PACKET, type ExtResult } from './ip-shared.ts';

const f = {
  version: field('ipv6.version', 'Version', 'uint8'),
  tclass: field('ipv6.tclass', 'Traffic Class', 'uint32', { base: 'hex', bitmask: 0x0ff00000, bitWidth: 32 }),
  dscp: field('ipv6.tclass.dscp', 'Differentiated Services Codepoint', 'uint32', { bitmask: 0x0fc00000, bitWidth: 32, values: dscpNames }),
  ecn: field('ipv6.tclass.ecn', 'Explicit Congestion Notification', 'uint32', { bitmask: 0x00300000, bitWidth: 32, values: ecnNames }),
  flow: field('ipv6.flow', 'Flow Label', 'uint24', { base: 'hex', bitmask: 0xfffff, bitWidth: 24 }),
  plen: field('ipv6.plen', 'Payload Length', 'uint16'),
  nxt: field('ipv6.nxt', 'Next Header', 'uint8', { values: ipProtoNames }),
  hlim: field('ipv6.hlim', 'Hop Limit', 'uint8'),
  src: field('ipv6.src', 'Source Address', 'ipv6'),
  srcHost: field('ipv6.src_host', 'Source Host', 'string'),
  dst: field('ipv6.dst', 'Destination Address', 'ipv6'),
  dstHost: field('ipv6.dst_host', 'Destination Host', 'string'),
  addr: field('ipv6.addr', 'Source or Destination Address', 'ipv6'),
  host: field('ipv6.host', 'Source or Destination Host', 'string'),
  srcSlaacMac: field('ipv6.src_slaac_mac', 'Source SLAAC MAC', 'ether'),
  dstSlaacMac: field('ipv6.dst_slaac_mac', 'Destination SLAAC MAC', 'ether'),
  slaacMac: field('ipv6.slaac_mac', 'SLAAC MAC', 'ether'),
  src6to4Gw: field('ipv6.src_6to4_gw_ipv4', 'Source 6to4 Gateway IPv4', 'ipv4'),
  src6to4Sla: field('ipv6.src_6to4_sla_id', 'Source 6to4 SLA ID', 'uint16'),
  dst6to4Gw: field('ipv6.dst_6to4_gw_ipv4', 'Destination 6to4 Gateway IPv4', 'ipv4'),
  dst6to4Sla: field('ipv6.dst_6to4_sla_id', 'Destination 6to4 SLA ID', 'uint16'),
  gw6to4: field('ipv6.6to4_gw_ipv4', '6to4 Gateway IPv4', 'ipv4'),
  sla6to4: field('ipv6.6to4_sla_id', '6to4 SLA ID', 'uint16'),
  srcTsIpv4: field('ipv6.src_ts_ipv4', 'Source Teredo Server IPv4', 'ipv4'),
  srcTcPort: field('ipv6.src_tc_port', 'Source Teredo Port', 'uint16'),
  srcTcIpv4: field('ipv6.src_tc_ipv4', 'Source Teredo Client IPv4', 'ipv4'),
  dstTsIpv4: field('ipv6.dst_ts_ipv4', 'Destination Teredo Server IPv4', 'ipv4'),
  dstTcPort: field('ipv6.dst_tc_port', 'Destination Teredo Port', 'uint16'),
  dstTcIpv4: field('ipv6.dst_tc_ipv4', 'Destination Teredo Client IPv4', 'ipv4'),
  tsIpv4: field('ipv6.ts_ipv4', 'Teredo Server IPv4', 'ipv4'),
  tcPort: field('ipv6.tc_port', 'Teredo Port', 'uint16'),
  tcIpv4: field('ipv6.tc_ipv4', 'Teredo Client IPv4', 'ipv4'),
  srcIsatap: field('ipv6.src_isatap_ipv4', 'Source ISATAP IPv4', 'ipv4'),
  dstIsatap: field('ipv6.dst_isatap_ipv4', 'Destination ISATAP IPv4', 'ipv4'),
  isatap: field('ipv6.isatap_ipv4', 'ISATAP IPv4', 'ipv4'),
  fragmentOverlap: field('ipv6.fragment.overlap', 'Fragment overlap', 'bool'),
  fragmentConflict: field('ipv6.fragment.overlap.conflict', 'Conflicting data in fragment overlap', 'bool'),
  fragmentMultipleTails: field('ipv6.fragment.multipletails', 'Multiple tail fragments found', 'bool'),
  fragmentTooLong: field('ipv6.fragment.toolongfragment', 'Fragment too long', 'bool'),
  fragmentError: field('ipv6.fragment.error', 'Defragmentation error', 'framenum'),
  fragmentCount: field('ipv6.fragment.count', 'Fragment count', 'uint32'),
  fragment: field('ipv6.fragment', 'IPv6 Fragment', 'framenum'),
  fragments: field('ipv6.fragments', 'IPv6 Fragments', 'none'),
  reassembledIn: field('ipv6.reassembled.in', 'Reassembled IPv6 in frame', 'framenum'),
  reassembledLength: field('ipv6.reassembled.length', 'Reassembled IPv6 length', 'uint32'),
  reassembledData: field('ipv6.reassembled.data', 'Reassembled IPv6 data', 'bytes'),
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

/** Extension headers IPv6 walks itself, by Next Header value. */
const extensions: Readonly<Record<number, string>> = { 0: 'ipv6.hopopts', 43: 'ipv6.routing', 44: 'ipv6.fraghdr', 60: 'ipv6.dstopts' };

function addAddress(tree: Tree, c: Cursor, o: number, main: typeof f.src, host: typeof f.srcHost): Uint8Array {
  const b = c.bytes(o, 16);
  tree.add(main, c, o, 16);
  tree.hidden(f.addr, c, o, 16);
  tree.hidden(host, c, o, 16, { value: formatIPv6(b) });
  tree.hidden(f.host, c, o, 16, { value: formatIPv6(b) });
  return b;
}

const ipv4Of = (a: Uint8Array, i: number): number => ((a[i]! << 24) | (a[i + 1]! << 16) | (a[i + 2]! << 8) | a[i + 3]!) >>> 0;
const isTeredo = (a: Uint8Array): boolean => a[0] === 0x20 && a[1] === 0x01 && a[2] === 0 && a[3] === 0;

/** A generated item with its hidden `either address` twin, both pointing at the bytes they come from. */
function detail(tree: Tree, c: Cursor, o: number, len: number, def: FieldDef, both: FieldDef, value: number | Uint8Array, text: string): void {
  tree.generated(def, value, `[${def.name}: ${text}]`, c, o, len);
  const h = tree.generated(both, value, `${both.name}: ${text}`, c, o, len);
  h.flags |= NodeFlags.Hidden;
}

/**
 * What the addresses tell about the network: 6to4 gateways, Teredo server and client, the MAC
 * inside a stateless-autoconfiguration interface id, ISATAP (grouped by kind, source first, as
 * Wireshark lists them).
 */
function addressDetails(tree: Tree, c: Cursor, so: number, s: Uint8Array, dO: number, d: Uint8Array): void {
  const pairs = [[so, s, f.src6to4Gw, f.src6to4Sla, f.srcTsIpv4, f.srcTcPort, f.srcTcIpv4, f.srcSlaacMac, f.srcIsatap], [dO, d, f.dst6to4Gw, f.dst6to4Sla, f.dstTsIpv4, f.dstTcPort, f.dstTcIpv4, f.dstSlaacMac, f.dstIsatap]] as const;
  for (const [o, a, gw, sla] of pairs) {
    if (a[0] !== 0x20 || a[1] !== 0x02) continue;
    detail(tree, c, o + 2, 4, gw, f.gw6to4, ipv4Of(a, 2), formatIPv4(ipv4Of(a, 2)));
    const id = (a[6]! << 8) | a[7]!;
    detail(tree, c, o + 6, 2, sla, f.sla6to4, id, String(id));
  }
  for (const [o, a, , , ts, tcPort, tcIp] of pairs) {
    if (!isTeredo(a)) continue;
    detail(tree, c, o + 4, 4, ts, f.tsIpv4, ipv4Of(a, 4), formatIPv4(ipv4Of(a, 4)));
    const port = ~((a[10]! << 8) | a[11]!) & 0xffff;
    detail(tree, c, o + 10, 2, tcPort, f.tcPort, port, String(port));
    const client = ~ipv4Of(a, 12) >>> 0;
    detail(tree, c, o + 12, 4, tcIp, f.tcIpv4, client, formatIPv4(client));
  }
  for (const [o, a, , , , , , mac] of pairs) {
    if (a[11] !== 0xff || a[12] !== 0xfe || isTeredo(a)) continue;
    const m = new Uint8Array([a[8]! ^ 0x02, a[9]!, a[10]!, a[13]!, a[14]!, a[15]!]);
    detail(tree, c, o + 8, 8, mac, f.slaacMac, m, formatEther(m));
  }
  for (const [o, a, , , , , , , isatap] of pairs) {
    if ((a[8]! & 0xfd) !== 0 || a[9] !== 0 || a[10] !== 0x5e || a[11] !== 0xfe) continue;
    detail(tree, c, o + 12, 4, isatap, f.isatap, ipv4Of(a, 12), formatIPv4(ipv4Of(a, 12)));
  }
}

export default protocol({
  abbrev: 'ipv6',
  name: 'Internet Protocol Version 6',
  short: 'IPv6',
  fields: f,
  register(r) {
    r.table('ethertype', 0x86dd);
    r.table('ip.proto', 41);
  },
  dissect(c, ctx, tree) {
    const o = c.start;
    const inError = ctx.scratch.get(IN_ERROR_PACKET) === true;
    const b0 = c.u8(o);
    const version = b0 >> 4;
    tree.add(f.version, c, o, 1, { value: version, label: () => `${bitPicture(0xf0, 8, b0 & 0xf0)} = Version: ${version}` });
    const ipVersion = ctx.registry.field('ip.version');
    if (ipVersion) tree.hidden(ipVersion, c, o, 1, { value: version, label: () => `${bitPicture(0xf0, 8, b0 & 0xf0)} = Version: ${version} [This field makes the filter match on "ip.version == 6" possible]` });
    if (version !== 6) {
      tree.expert('error', 'protocol', `Bogus IP version (${version})`);
      ctx.setInfo(`Bogus IPv6 version (${version}, must be 6)`);
      return 1;
    }
    const w = c.u32(o);
    const tc = (w >>> 20) & 0xff;
    const tct = tree.addTree(f.tclass, c, o, 4, { label: () => `${bitPicture(0x0ff00000, 32, w & 0x0ff00000)} = Traffic Class: 0x${hex2(tc)} (${dsSummary(tc)})` });
    tct.add(f.dscp, c, o, 4);
    tct.add(f.ecn, c, o, 4);
    const flow = w & 0xfffff;
    tree.add(f.flow, c, o + 1, 3, { label: () => `${bitPicture(0xfffff, 24, flow)} = Flow Label: 0x${flow.toString(16).padStart(5, '0')}` });
    let plen = c.u16(o + 4);
    const reported = c.reportedEnd - o - 40;
    if (plen === 0) {
      tree.add(f.plen, c, o + 4, 2, { label: `Payload Length: 0` });
      if (!inError && reported > 0) tree.expert('warn', 'protocol', 'IPv6 payload length equals 0 (maybe because of "TCP segmentation offload" (TSO))');
      plen = Math.max(0, reported);
    } else {
      const pn = tree.subtree(tree.add(f.plen, c, o + 4, 2));
      if (plen > reported && !inError) pn.expert('error', 'protocol', `IPv6 payload length exceeds framing length (${Math.max(0, reported)} bytes)`);
    }
    let nxt = c.u8(o + 6);
    tree.add(f.nxt, c, o + 6, 1);
    tree.add(f.hlim, c, o + 7, 1);
    ctx.scratch.set('ipv6.hlim', c.u8(o + 7));
    const src = addAddress(tree, c, o + 8, f.src, f.srcHost);
    const dst = addAddress(tree, c, o + 24, f.dst, f.dstHost);
    addressDetails(tree, c, o + 8, src, o + 24, dst);
    ctx.netSrc = { kind: 'ipv6', bytes: src };
    ctx.netDst = { kind: 'ipv6', bytes: dst };
    ctx.columns.source = formatIPv6(src);
    ctx.columns.destination = formatIPv6(dst);
    if (tree.owner) tree.owner.label = `Internet Protocol Version 6, Src: ${formatIPv6(src)}, Dst: ${formatIPv6(dst)}`;
    ctx.setInfo('');

    const dg = inError && o + 40 + plen > c.reportedEnd ? new Cursor(c.data, c.source, o, c.end, o + 40 + plen, c.view) : c.sub(o, 40 + plen);
    const consumed = Math.min(40 + plen, c.remaining(o));
    let p = o + 40;
    const end = o + 40 + plen;
    for (let guard = 0; guard < 32; guard++) {
      const ext = extensions[nxt];
      if (ext === undefined || (nxt === 0 && p !== o + 40)) break;
      if (p >= dg.end && p >= end) break;
      ctx.scratch.delete(EXT_RESULT);
      const used = ctx.callProtocol(ext, dg.sub(p), tree);
      const r = ctx.scratch.get(EXT_RESULT) as ExtResult | undefined;
      if (!r || used <= 0) return consumed; // cut short inside the extension header
      p += used;
      if (nxt === 44) {
        return fragment(dg, p, end, r, ctx, tree, src, consumed);
      }
      nxt = r.nxt;
    }
    if (nxt === 59) {
      ctx.setInfo('IPv6 no next header');
      return consumed;
    }
    dispatch(nxt, dg.sub(p), ctx, tree);
    return consumed;
  },
});

function dispatch(nxt: number, payload: Cursor, ctx: PacketContext, tree: Tree): void {
  if (payload.remaining(payload.start) <= 0 && payload.reportedRemaining(payload.start) <= 0) return;
  const used = ctx.call('ip.proto', nxt, payload, tree);
  if (used < 0) ctx.callData(payload, tree);
}

function fragment(dg: Cursor, p: number, end: number, r: ExtResult, ctx: PacketContext, tree: Tree, src: Uint8Array, consumed: number): number {
  const off = r.fragOffset ?? 0;
  const more = r.more ?? false;
  const ident = r.ident ?? 0;
  const len = end - p;
  const fragmentInfo = (): void => {
    ctx.setInfo(`IPv6 fragment (off=${off} more=${more ? 'y' : 'n'} ident=0x${ident.toString(16).padStart(8, '0')} nxt=${r.nxt})`);
  };
  if ((off > 0 || more) && len > 0 && dg.has(p, len)) {
    const table = ctx.session.slot('ipv6.fragments', () => new FragmentTable());
    const dstBytes = ctx.netDst?.bytes ?? new Uint8Array(16);
    const key = `${formatIPv6(src)}|${formatIPv6(dstBytes)}|${ident}`;
    const res = table.add(key, ctx.frame.number, off, dg.bytes(p, len), more);
    if (res.done && res.done.frame === ctx.frame.number) {
      const rc = ctx.addSource('Reassembled IPv6', res.done.data);
      addFragmentTree(tree, rc, res.done, fragFields, 'IPv6');
      if (r.nxt !== 59) dispatch(r.nxt, rc, ctx, tree);
      return consumed;
    }
    fragmentInfo();
    if (res.reassembledIn && ctx.visited) {
      tree.generated(f.reassembledIn, res.reassembledIn, `[Reassembled IPv6 in frame: ${res.reassembledIn}]`);
      ctx.appendInfo(`[Reassembled in #${res.reassembledIn}]`);
    }
    ctx.callData(dg.sub(p), tree);
    return consumed;
  }
  if (off === 0 && !more) {
    // An atomic fragment: nothing to reassemble.
    if (r.nxt !== 59) dispatch(r.nxt, dg.sub(p), ctx, tree);
    return consumed;
  }
  fragmentInfo();
  ctx.callData(dg.sub(p), tree);
  return consumed;
}
