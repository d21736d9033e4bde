// Internet Control Message Protocol (RFC 792 and friends) as Wireshark 4.0 shows it: type and
// code names, the checksum verified, identifier and sequence number both big and little endian,
// echo request/reply matching (`(request in N)`), timestamps found in echo data, router and
// Mobile IP advertisements, and the IP datagram quoted by error messages decoded through the
// protocol tables (frame.protocols `icmp:ip:udp`) without disturbing the columns. RFC 4884
// extensions (MPLS label stacks) are decoded after the quoted datagram.

import { field, protocol } from '../core/registry.ts';
import { bitPicture, formatBytesHex, hex2 } from '../core/format.ts';
import type { Cursor } from '../core/cursor.ts';
import type { PacketContext } from '../core/context.ts';
import type { Tree } from '../core/tree.ts';
import { checksumShouldBe, IN_ERROR_PACKET, inetChecksum, matchEcho } from './ip-shared.ts';
import { frameTimeNs } from '../core/dissect.ts';

const typeNames: Readonly<Record<number, string>> = {
  0: 'Echo (ping) reply', 1: 'Reserved', 2: 'Reserved', 3: 'Destination unreachable', 4: 'Source quench (flow control)', 5: 'Redirect',
  6: 'Alternate host address', 8: 'Echo (ping) request', 9: 'Router advertisement', 10: 'Router solicitation', 11: 'Time-to-live exceeded',
  12: 'Parameter problem', 13: 'Timestamp request', 14: 'Timestamp reply', 15: 'Information request', 16: 'Information reply',
  17: 'Address mask request', 18: 'Address mask reply', 19: 'Reserved (for security)',
  20: 'Reserved (for robustness experiment)', 21: 'Reserved (for robustness experiment)', 22: 'Reserved (for robustness experiment)',
  23: 'Reserved (for robustness experiment)', 24: 'Reserved (for robustness experiment)', 25: 'Reserved (for robustness experiment)',
  26: 'Reserved (for robustness experiment)', 27: 'Reserved (for robustness experiment)', 28: 'Reserved (for robustness experiment)',
  29: 'Reserved (for robustness experiment)', 30: 'Traceroute', 31: 'Datagram Conversion Error', 32: 'Mobile Host Redirect',
  33: 'IPv6 Where-Are-You', 34: 'IPv6 I-Am-Here', 35: 'Mobile Registration Request', 36: 'Mobile Registration Reply',
  37: 'Domain Name Request', 38: 'Domain Name Reply', 39: 'SKIP', 40: 'Photuris', 41: 'Experimental mobility protocols',
  42: 'Extended Echo request', 43: 'Extended Echo reply', 253: 'RFC3692-style Experiment 1', 254: 'RFC3692-style Experiment 2',
};

const codeNames: Readonly<Record<number, Readonly<Record<number, string>>>> = {
  3: {
    0: 'Network unreachable', 1: 'Host unreachable', 2: 'Protocol unreachable', 3: 'Port unreachable', 4: 'Fragmentation needed',
    5: 'Source route failed', 6: 'Destination network unknown', 7: 'Destination host unknown', 8: 'Source host isolated',
    9: 'Network administratively prohibited', 10: 'Host administratively prohibited', 11: 'Network unreachable for TOS',
    12: 'Host unreachable for TOS', 13: 'Communication administratively filtered', 14: 'Host precedence violation', 15: 'Precedence cutoff in effect',
  },
  5: { 0: 'Redirect for network', 1: 'Redirect for host', 2: 'Redirect for TOS and network', 3: 'Redirect for TOS and host' },
  6: { 0: 'Alternate address for host' },
  9: { 0: 'Normal router advertisement', 16: 'Does not route common traffic' },
  11: { 0: 'Time to live exceeded in transit', 1: 'Fragment reassembly time exceeded' },
  12: { 0: 'Pointer indicates the error', 1: 'Required option missing', 2: 'Bad length' },
  40: { 0: 'Bad SPI', 1: 'Authentication Failed', 2: 'Decompression Failed', 3: 'Decryption Failed', 4: 'Need Authentication', 5: 'Need Authorization' },
  43: { 0: 'No error', 1: 'Malformed Query', 2: 'No Such Interface', 3: 'No Such Table Entry', 4: 'Multiple Interfaces Satisfy Query' },
};

const mipExtNames: Readonly<Record<number, string>> = { 0: 'One byte padding extension', 16: 'Mobility Agent Advertisement Extension', 19: 'Prefix Lengths Extension', 24: 'Challenge Extension' };
const extClassNames: Readonly<Record<number, string>> = { 1: 'MPLS Label Stack Class', 2: 'Interface Information Object', 3: 'Interface Identification Object' };
const checksumStatusNames = { 0: 'Bad', 1: 'Good', 2: 'Unverified' };

const f = {
  type: field('icmp.type', 'Type', 'uint8'),
  code: field('icmp.code', 'Code', 'uint8'),
  checksum: field('icmp.checksum', 'Checksum', 'uint16', { base: 'hex' }),
  checksumStatus: field('icmp.checksum.status', 'Checksum Status', 'uint8', { values: checksumStatusNames }),
  checksumBad: field('icmp.checksum_bad', 'Bad checksum', 'none'),
  unused: field('icmp.unused', 'Unused', 'bytes'),
  reserved: field('icmp.reserved', 'Reserved', 'bytes'),
  ident: field('icmp.ident', 'Identifier (BE)', 'uint16', { base: 'dec_hex' }),
  identLe: field('icmp.ident_le', 'Identifier (LE)', 'uint16', { base: 'dec_hex' }),
  seq: field('icmp.seq', 'Sequence Number (BE)', 'uint16', { base: 'dec_hex' }),
  seqLe: field('icmp.seq_le', 'Sequence Number (LE)', 'uint16', { base: 'dec_hex' }),
  mtu: field('icmp.mtu', 'MTU of next hop', 'uint16'),
  length: field('icmp.length', 'Length', 'uint8'),
  lengthOriginal: field('icmp.length.original_datagram', 'Length of original datagram', 'uint8'),
  numAddrs: field('icmp.num_addrs', 'Number of addresses', 'uint8'),
  addrEntrySize: field('icmp.addr_entry_size', 'Address entry size', 'uint8'),
  lifetime: field('icmp.lifetime', 'Lifetime', 'uint16'),
  pointer: field('icmp.pointer', 'Pointer', 'uint32'),
  routerAddress: field('icmp.router_address', 'Router address', 'ipv4'),
  prefLevel: field('icmp.pref_level', 'Preference level', 'int32'),
  originateTimestamp: field('icmp.originate_timestamp', 'Originate Timestamp', 'uint32'),
  receiveTimestamp: field('icmp.receive_timestamp', 'Receive Timestamp', 'uint32'),
  transmitTimestamp: field('icmp.transmit_timestamp', 'Transmit Timestamp', 'uint32'),
  addressMask: field('icmp.address_mask', 'Address Mask', 'ipv4'),
  redirGw: field('icmp.redir_gw', 'Gateway Address', 'ipv4'),
  respIn: field('icmp.resp_in', 'Response frame', 'framenum'),
  noResp: field('icmp.no_resp', 'No response seen', 'none'),
  respTo: field('icmp.resp_to', 'Request frame', 'framenum'),
  respTime: field('icmp.resptime', 'Response time', 'double'),
  dataTime: field('icmp.data_time', 'Timestamp from icmp data', 'abs_time'),
  dataTimeRelative: field('icmp.data_time_relative', 'Timestamp from icmp data (relative)', 'rel_time'),
  mipType: field('icmp.mip.type', 'Extension Type', 'uint8', { values: mipExtNames }),
  mipLength: field('icmp.mip.length', 'Length', 'uint8'),
  mipPrefixLength: field('icmp.mip.prefixlength', 'Prefix Length', 'uint8'),
  mipSeq: field('icmp.mip.seq', 'Sequence Number', 'uint16'),
  mipLife: field('icmp.mip.life', 'Registration Lifetime', 'uint16'),
  mipFlags: field('icmp.mip.flags', 'Flags', 'uint16', { base: 'hex' }),
  mipR: field('icmp.mip.r', 'Registration Required', 'bool', { bitmask: 0x8000, bitWidth: 16, trueFalse: ['True', 'False'] }),
  mipB: field('icmp.mip.b', 'Busy', 'bool', { bitmask: 0x4000, bitWidth: 16, trueFalse: ['True', 'False'] }),
  mipH: field('icmp.mip.h', 'Home Agent', 'bool', { bitmask: 0x2000, bitWidth: 16, trueFalse: ['True', 'False'] }),
  mipF: field('icmp.mip.f', 'Foreign Agent', 'bool', { bitmask: 0x1000, bitWidth: 16, trueFalse: ['True', 'False'] }),
  mipM: field('icmp.mip.m', 'Minimal Encapsulation', 'bool', { bitmask: 0x0800, bitWidth: 16, trueFalse: ['True', 'False'] }),
  mipG: field('icmp.mip.g', 'GRE', 'bool', { bitmask: 0x0400, bitWidth: 16, trueFalse: ['True', 'False'] }),
  mipV: field('icmp.mip.v', 'VJ Comp', 'bool', { bitmask: 0x0200, bitWidth: 16, trueFalse: ['True', 'False'] }),
  mipRt: field('icmp.mip.rt', 'Reverse tunneling', 'bool', { bitmask: 0x0100, bitWidth: 16, trueFalse: ['True', 'False'] }),
  mipU: field('icmp.mip.u', 'UDP tunneling', 'bool', { bitmask: 0x0080, bitWidth: 16, trueFalse: ['True', 'False'] }),
  mipX: field('icmp.mip.x', 'Revocation support', 'bool', { bitmask: 0x0040, bitWidth: 16, trueFalse: ['True', 'False'] }),
  mipReserved: field('icmp.mip.reserved', 'Reserved', 'uint16', { base: 'hex', bitmask: 0x003f, bitWidth: 16 }),
  mipCoa: field('icmp.mip.coa', 'Care-Of-Address', 'ipv4'),
  mipChallenge: field('icmp.mip.challenge', 'Challenge', 'bytes'),
  mipContent: field('icmp.mip.content', 'Content', 'bytes'),
  ext: field('icmp.ext', 'ICMP Extensions', 'none'),
  extVersion: field('icmp.ext.version', 'Version', 'uint8'),
  extRes: field('icmp.ext.res', 'Reserved', 'uint16', { base: 'hex', bitmask: 0x0fff, bitWidth: 16 }),
  extChecksum: field('icmp.ext.checksum', 'Checksum', 'uint16', { base: 'hex' }),
  extChecksumStatus: field('icmp.ext.checksum.status', 'Checksum Status', 'uint8', { values: checksumStatusNames }),
  extLength: field('icmp.ext.length', 'Length', 'uint16'),
  extClass: field('icmp.ext.class', 'Class', 'uint8', { values: extClassNames }),
  extCtype: field('icmp.ext.ctype', 'C-Type', 'uint8'),
  extData: field('icmp.ext.data', 'Data', 'bytes'),
  mplsLabel: field('icmp.mpls.label', 'Label', 'uint24', { bitmask: 0xfffff0, bitWidth: 24 }),
  mplsExp: field('icmp.mpls.exp', 'Experimental', 'uint24', { bitmask: 0x00000e, bitWidth: 24 }),
  mplsS: field('icmp.mpls.s', 'Stack bit', 'bool', { bitmask: 0x000001, bitWidth: 24 }),
  mplsTtl: field('icmp.mpls.ttl', 'Time to live', 'uint8'),
  mplsData: field('icmp.mpls.data', 'Data', 'bytes'),
  mplsEntry: field('icmp.mpls.entry', 'MPLS label stack entry', 'none'),
};

/** Wireshark's `type_str` for the Info column and the Type item. */
function typeString(type: number, code: number): string {
  if (type === 9 && (code === 0 || code === 16)) return 'Mobile IP Advertisement';
  return typeNames[type] ?? 'Unknown ICMP (obsolete or malformed?)';
}

function codeString(type: number, code: number): string {
  const t = codeNames[type];
  if (!t) return '';
  return t[code] ?? `Unknown code: ${code}`;
}

function addrKey(ctx: PacketContext, reverse: boolean): string {
  const s = ctx.netSrc ? formatBytesHex(ctx.netSrc.bytes) : '';
  const d = ctx.netDst ? formatBytesHex(ctx.netDst.bytes) : '';
  return reverse ? `${d}|${s}` : `${s}|${d}`;
}


const MS_PER_DAY = 86_400_000;

/** `4 hours, 28 minutes, 51.171 seconds` of a millisecond count (Wireshark's time_msecs_to_str). */
function msecsText(v: number): string {
  const d = Math.floor(v / MS_PER_DAY);
  const h = Math.floor((v % MS_PER_DAY) / 3_600_000);
  const m = Math.floor((v % 3_600_000) / 60_000);
  const ms = v % 60_000;
  const parts: string[] = [];
  if (d) parts.push(`${d} day${d === 1 ? '' : 's'}`);
  if (h) parts.push(`${h} hour${h === 1 ? '' : 's'}`);
  if (m) parts.push(`${m} minute${m === 1 ? '' : 's'}`);
  if (ms || parts.length === 0) {
    const sec = Math.floor(ms / 1000);
    const frac = ms % 1000;
    parts.push(frac ? `${sec}.${String(frac).padStart(3, '0')} seconds` : `${sec} second${sec === 1 ? '' : 's'}`);
  }
  return parts.join(', ');
}

/**
 * Milliseconds since midnight UT, read big- or little-endian, whichever is plausible and closer
 * to the frame's own time of day (Wireshark's get_best_guess_mstimeofday).
 */
function bestGuessMsOfDay(c: Cursor, o: number, frameTod: number): number {
  const be = c.u32(o) & 0x7fffffff;
  const le = c.u32le(o) & 0x7fffffff;
  if (be < MS_PER_DAY && le >= MS_PER_DAY) return be;
  if (le < MS_PER_DAY && be >= MS_PER_DAY) return le;
  if (be < MS_PER_DAY && le < MS_PER_DAY) {
    const dist = (a: number): number => {
      const x = Math.abs(a - frameTod);
      return Math.min(x, MS_PER_DAY - x);
    };
    return dist(be) <= dist(le) ? be : le;
  }
  return be;
}

/** `3 minutes, 20 seconds` (Wireshark's time_secs_to_str). */
function secondsText(v: number): string {
  if (v === 0) return '0 seconds';
  const d = Math.floor(v / 86400);
  const h = Math.floor((v % 86400) / 3600);
  const m = Math.floor((v % 3600) / 60);
  const s = v % 60;
  const parts: string[] = [];
  if (d) parts.push(`${d} day${d === 1 ? '' : 's'}`);
  if (h) parts.push(`${h} hour${h === 1 ? '' : 's'}`);
  if (m) parts.push(`${m} minute${m === 1 ? '' : 's'}`);
  if (s) parts.push(`${s} second${s === 1 ? '' : 's'}`);
  return parts.join(', ');
}

function identSeq(c: Cursor, o: number, tree: Tree): void {
  tree.add(f.ident, c, o + 4, 2);
  tree.add(f.identLe, c, o + 4, 2, { le: true });
  tree.add(f.seq, c, o + 6, 2);
  tree.add(f.seqLe, c, o + 6, 2, { le: true });
}

/** Echo data that starts with a plausible timestamp (BE or LE, seconds + microseconds). */
function echoData(c: Cursor, o: number, ctx: PacketContext, tree: Tree): void {
  const p = o + 8;
  if (c.remaining(p) <= 0) return;
  if (c.remaining(p) >= 8) {
    const now = ctx.frame.tsSec;
    let secs = c.u32(p);
    let usecs = c.u32(p + 4);
    if (Math.abs(secs - now) >= 86400 || usecs >= 1_000_000) {
      secs = c.u32le(p);
      usecs = c.u32le(p + 4);
    }
    if (Math.abs(secs - now) < 86400 && usecs < 1_000_000) {
      const ts = BigInt(secs) * 1_000_000_000n + BigInt(usecs) * 1000n;
      tree.add(f.dataTime, c, p, 8, { value: ts, label: `Timestamp from icmp data: ${absTimeText(ts)}` });
      const rel = frameTimeNs(ctx.frame) - ts;
      tree.generated(f.dataTimeRelative, rel, `[Timestamp from icmp data (relative): ${relText(rel)} seconds]`, c, p, 8);
      ctx.callData(c.sub(p + 8), tree.nested());
      return;
    }
  }
  ctx.callData(c.sub(p), tree.nested());
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

function absTimeText(ns: bigint): string {
  const ms = Number(ns / 1_000_000n);
  const d = new Date(ms);
  const frac = (ns % 1_000_000_000n + 1_000_000_000n) % 1_000_000_000n;
  const pad = (n: number): string => String(n).padStart(2, '0');
  return `${MONTHS[d.getUTCMonth()]} ${String(d.getUTCDate()).padStart(2, ' ')}, ${d.getUTCFullYear()} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}.${frac.toString().padStart(9, '0')} UTC`;
}

function relText(ns: bigint): string {
  const neg = ns < 0n;
  const a = neg ? -ns : ns;
  return `${neg ? '-' : ''}${a / 1_000_000_000n}.${(a % 1_000_000_000n).toString().padStart(9, '0')}`;
}

/** Decodes the IP datagram quoted by an error message, keeping the outer columns and addresses. */
function quoted(c: Cursor, start: number, len: number | undefined, ctx: PacketContext, tree: Tree): void {
  if (c.remaining(start) <= 0) return;
  const saved = { ...ctx.columns };
  const { netSrc, netDst, srcPort, dstPort } = ctx;
  const wasInError = ctx.scratch.get(IN_ERROR_PACKET);
  ctx.scratch.set(IN_ERROR_PACKET, true);
  try {
    ctx.callProtocol('ip', len === undefined ? c.sub(start) : c.sub(start, len), tree.nested());
  } finally {
    ctx.scratch.set(IN_ERROR_PACKET, wasInError === true);
    Object.assign(ctx.columns, saved);
    ctx.netSrc = netSrc;
    ctx.netDst = netDst;
    ctx.srcPort = srcPort;
    ctx.dstPort = dstPort;
  }
}

/** RFC 4884 extension structure at `o` (to the end of the message); false when it is not one. */
function extensions(c: Cursor, o: number, end: number, tree: Tree, compat: boolean): boolean {
  if (end - o < 4 || !c.has(o, end - o)) return false;
  const version = c.u8(o) >> 4;
  const cks = c.u16(o + 2);
  const computed = inetChecksum(c.bytes(o, end - o));
  if (version !== 2) return false;
  if (compat && cks !== 0 && computed !== 0) return false;
  const et = tree.addTree(f.ext, c, o, end - o, { label: 'ICMP Multi-Part Extensions' });
  et.add(f.extVersion, c, o, 1, { value: version, label: `Version: ${version}` });
  et.add(f.extRes, c, o, 2);
  et.add(f.extChecksum, c, o + 2, 2, { label: `Checksum: 0x${cks.toString(16).padStart(4, '0')} ${computed === 0 ? '[correct]' : `incorrect, should be 0x${checksumShouldBe(cks, computed).toString(16).padStart(4, '0')}`}` });
  et.generated(f.extChecksumStatus, computed === 0 ? 1 : 0, `[Checksum Status: ${computed === 0 ? 'Good' : 'Bad'}]`, c, o + 2, 0);
  let p = o + 4;
  for (let guard = 0; p + 4 <= end && guard < 64; guard++) {
    const len = c.u16(p);
    const cls = c.u8(p + 2);
    const ctype = c.u8(p + 3);
    if (len < 4 || p + len > end) break;
    const ot = et.addTree(f.ext, c, p, len, { label: cls === 1 ? 'MPLS Stack Entry' : `Unknown object (${cls})` });
    ot.add(f.extLength, c, p, 2);
    ot.add(f.extClass, c, p + 2, 1);
    ot.add(f.extCtype, c, p + 3, 1);
    if (cls === 1 && ctype === 1) {
      for (let e = p + 4; e + 4 <= p + len; e += 4) {
        const w = c.u32(e);
        const label = w >>> 12;
        const exp = (w >> 9) & 7;
        const s = (w >> 8) & 1;
        const ttl = w & 0xff;
        const lt = ot.addTree(f.mplsEntry, c, e, 4, { label: `Label: ${label}, Exp: ${exp}, S: ${s}, TTL: ${ttl}` });
        lt.add(f.mplsLabel, c, e, 3);
        lt.add(f.mplsExp, c, e, 3);
        lt.add(f.mplsS, c, e, 3);
        lt.add(f.mplsTtl, c, e + 3, 1);
      }
    } else if (len > 4) {
      ot.add(f.extData, c, p + 4, len - 4);
    }
    p += len;
  }
  return true;
}

function mobileIpExtensions(c: Cursor, o: number, end: number, tree: Tree): void {
  let p = o;
  for (let guard = 0; p < end && guard < 64; guard++) {
    const type = c.u8(p);
    const name = mipExtNames[type] ?? 'Unknown';
    if (type === 0) {
      const t = tree.addTree(f.mipType, c, p, 1, { label: `Ext: ${name}` });
      t.add(f.mipType, c, p, 1);
      p++;
      continue;
    }
    const len = c.u8(p + 1);
    const t = tree.addTree(f.mipType, c, p, Math.min(len + 2, end - p), { label: `Ext: ${name}` });
    t.add(f.mipType, c, p, 1);
    t.add(f.mipLength, c, p + 1, 1);
    const d = p + 2;
    if (type === 16 && len >= 6) {
      t.add(f.mipSeq, c, d, 2);
      t.add(f.mipLife, c, d + 2, 2);
      const fl = c.u16(d + 4);
      const names: string[] = [];
      const bits: [number, string][] = [[0x8000, 'Registration Required'], [0x4000, 'Busy'], [0x2000, 'Home Agent'], [0x1000, 'Foreign Agent'], [0x0800, 'Minimal Encapsulation'], [0x0400, 'GRE'], [0x0200, 'VJ Comp'], [0x0100, 'Reverse tunneling'], [0x0080, 'UDP tunneling'], [0x0040, 'Revocation support']];
      for (const [b, n] of bits) if (fl & b) names.push(n);
      const ft = t.addTree(f.mipFlags, c, d + 4, 2, { label: `Flags: 0x${fl.toString(16).padStart(4, '0')}${names.length ? ', ' + names.join(', ') : ''}` });
      for (const def of [f.mipR, f.mipB, f.mipH, f.mipF, f.mipM, f.mipG, f.mipV, f.mipRt, f.mipU, f.mipX]) ft.add(def, c, d + 4, 2);
      ft.add(f.mipReserved, c, d + 4, 2, { label: `${bitPicture(0x3f, 16, fl & 0x3f)} = Reserved: 0x${hex2(fl & 0x3f)}` });
      for (let a = d + 6; a + 4 <= d + len; a += 4) t.add(f.mipCoa, c, a, 4);
    } else if (type === 19) {
      for (let i = 0; i < len; i++) t.add(f.mipPrefixLength, c, d + i, 1);
    } else if (type === 24) {
      t.add(f.mipChallenge, c, d, len);
    } else if (len) {
      t.add(f.mipContent, c, d, len);
    }
    p = d + len;
  }
}

export default protocol({
  abbrev: 'icmp',
  name: 'Internet Control Message Protocol',
  short: 'ICMP',
  fields: f,
  register(r) {
    r.table('ip.proto', 1);
  },
  dissect(c, ctx, tree) {
    const o = c.start;
    const inError = ctx.scratch.get(IN_ERROR_PACKET) === true;
    const type = c.u8(o);
    const code = c.u8(o + 1);
    const typeStr = typeString(type, code);
    const codeStr = codeString(type, code);
    ctx.setInfo(typeStr.padEnd(20, ' '));
    if (codeStr) ctx.appendInfo(`(${codeStr})`);
    tree.add(f.type, c, o, 1, { label: `Type: ${type} (${typeStr})` });
    tree.add(f.code, c, o + 1, 1, { label: codeStr ? `Code: ${code} (${codeStr})` : `Code: ${code}` });

    const cks = c.u16(o + 2);
    const reportedLen = c.reportedEnd - o;
    const capturedAll = c.remaining(o) >= reportedLen;
    const fragmented = ctx.scratch.get('ip.fragmented') === true;
    const cksText = `0x${cks.toString(16).padStart(4, '0')}`;
    if (!inError && !fragmented && capturedAll) {
      const computed = inetChecksum(c.bytes(o, reportedLen));
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
      const why = inError ? ' [in ICMP error packet]' : ' [fragmented datagram]';
      tree.add(f.checksum, c, o + 2, 2, { label: `Checksum: ${cksText} [unverified]${why}` });
      tree.generated(f.checksumStatus, 2, '[Checksum Status: Unverified]', c, o + 2, 0);
    }

    const end = c.reportedEnd;
    switch (type) {
      case 0:
      case 8: {
        identSeq(c, o, tree);
        const ident = c.u16(o + 4);
        const seq = c.u16(o + 6);
        ctx.appendInfo(`id=0x${ident.toString(16).padStart(4, '0')}, seq=${seq}/${c.u16le(o + 6)}`);
        const ttl = ctx.scratch.get('ip.ttl');
        if (typeof ttl === 'number') ctx.appendInfo(`, ttl=${ttl}`, '');
        if (!inError) ctx.appendInfo(matchEcho(ctx, tree, 'icmp.echo', `${addrKey(ctx, type === 0)}|${ident}|${seq}`, type === 0, f, { respIn: 'Response frame', respTo: 'Request frame', respTime: 'Response time' }), '');
        echoData(c, o, ctx, tree);
        break;
      }
      case 13:
      case 14:
      case 15:
      case 16:
      case 17:
      case 18: {
        identSeq(c, o, tree);
        ctx.appendInfo(`id=0x${c.u16(o + 4).toString(16).padStart(4, '0')}, seq=${c.u16(o + 6)}/${c.u16le(o + 6)}`);
        const ttl = ctx.scratch.get('ip.ttl');
        if (typeof ttl === 'number') ctx.appendInfo(`, ttl=${ttl}`, '');
        if (type === 13 || type === 14) {
          const frameTod = (ctx.frame.tsSec % 86400) * 1000 + Math.floor(ctx.frame.tsNsec / 1e6);
          for (const [def, off] of [[f.originateTimestamp, 8], [f.receiveTimestamp, 12], [f.transmitTimestamp, 16]] as const) {
            const v = c.u32(o + off);
            tree.add(def, c, o + off, 4, { label: `${def.name}: ${v} (${msecsText(bestGuessMsOfDay(c, o + off, frameTod))} after midnight UTC)` });
          }
        } else if (type === 17 || type === 18) {
          tree.add(f.addressMask, c, o + 8, 4);
        }
        break;
      }
      case 9: {
        const n = c.u8(o + 4);
        const size = c.u8(o + 5);
        tree.add(f.numAddrs, c, o + 4, 1);
        tree.add(f.addrEntrySize, c, o + 5, 1);
        const life = c.u16(o + 6);
        tree.add(f.lifetime, c, o + 6, 2, { label: `Lifetime: ${life} (${secondsText(life)})` });
        let p = o + 8;
        for (let i = 0; i < n && p + 8 <= end; i++) {
          tree.add(f.routerAddress, c, p, 4);
          tree.add(f.prefLevel, c, p + 4, 4);
          p += Math.max(size, 2) * 4;
        }
        if (p < end && (code === 0 || code === 16)) mobileIpExtensions(c, p, end, tree);
        break;
      }
      case 10:
        break;
      case 3:
      case 4:
      case 5:
      case 11:
      case 12: {
        let origLen = 0;
        if (type === 5) {
          tree.add(f.redirGw, c, o + 4, 4);
        } else if (type !== 4) {
          // RFC 4884: byte 5 may give the length of the quoted datagram in 32-bit words.
          origLen = c.u8(o + 5) * 4;
          if (type === 12) tree.add(f.pointer, c, o + 4, 1, { value: c.u8(o + 4) });
          if (origLen) {
            if (type !== 12) tree.add(f.unused, c, o + 4, 1);
            tree.add(f.length, c, o + 5, 1);
            tree.generated(f.lengthOriginal, origLen, `[Length of original datagram: ${origLen}]`, c, o + 5, 1);
            if (type === 3 && code === 4) tree.add(f.mtu, c, o + 6, 2);
            else tree.add(f.unused, c, o + 6, 2);
          } else if (type === 12) {
            tree.add(f.unused, c, o + 5, 3);
          } else if (type === 3 && code === 4) {
            tree.add(f.unused, c, o + 4, 2);
            tree.add(f.mtu, c, o + 6, 2);
          } else {
            tree.add(f.unused, c, o + 4, 4);
          }
        }
        // The quoted datagram: for a redirect its header + 64 bits; with an RFC 4884 length,
        // that many words (counted after the header, as Wireshark does); else all of it.
        let quoteLen: number | undefined;
        const ihl = c.remaining(o + 8) > 0 ? (c.u8(o + 8) & 0x0f) * 4 : 0;
        const innerLen = c.remaining(o + 8) >= 4 ? c.u16(o + 10) : 0;
        if (type === 5) quoteLen = ihl + 8;
        else if (origLen && end - o > 8 + origLen && innerLen > origLen) quoteLen = ihl + origLen;
        quoted(c, o + 8, quoteLen, ctx, tree);
        // RFC 4884 / MPLS extensions after 128 bytes (or the given length) when the quoted
        // datagram is short enough not to need them.
        if (end - o > 8 + 128 && innerLen <= 128) extensions(c, o + 8 + (origLen || 128), end, tree, origLen === 0);
        break;
      }
      default:
        break;
    }
    return Math.max(0, c.remaining(o));
  },
});

